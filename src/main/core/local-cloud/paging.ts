import { invalidParameter } from './errors';
import type { Params } from './params';

export interface PageMeta {
  page: number;
  page_size: number;
  first_page_url: string;
  previous_page_url: string | null;
  url: string;
  next_page_url: string | null;
  key: string;
}

export interface PageRequest {
  /** Absolute URL of the list resource, without a query. */
  listUrl: string;
  /** The list's key in the response (`rooms`, `documents`, ...). */
  key: string;
  /** Filters to carry into the page URLs (undefined ones are left out). */
  filters: Record<string, string | undefined>;
  maxPageSize: number;
}

const TOKEN = /^PT(\d+)$/;

/**
 * Twilio paging: `PageSize` (default 50), `Page` (index, for client state) and `PageToken`
 * (opaque; here `PT<offset>`). Returns the page's items and the `meta` object.
 */
export function paginate<T>(items: readonly T[], params: Params, req: PageRequest): { items: T[]; meta: PageMeta } {
  const pageSize = params.int('PageSize', { min: 1, max: req.maxPageSize }) ?? 50;
  const page = params.int('Page', { min: 0, max: Number.MAX_SAFE_INTEGER }) ?? 0;
  const token = params.string('PageToken');
  let offset = page * pageSize;
  if (token !== undefined) {
    const match = TOKEN.exec(token);
    if (!match) throw invalidParameter('PageToken is not valid');
    offset = Number(match[1]);
  }
  const pageUrl = (p: number, o: number | undefined): string => {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(req.filters)) if (v !== undefined) query.set(k, v);
    query.set('PageSize', String(pageSize));
    query.set('Page', String(p));
    if (o !== undefined) query.set('PageToken', `PT${o}`);
    return `${req.listUrl}?${query.toString()}`;
  };
  const hasNext = offset + pageSize < items.length;
  return {
    items: items.slice(offset, offset + pageSize),
    meta: {
      page,
      page_size: pageSize,
      first_page_url: pageUrl(0, undefined),
      previous_page_url: page > 0 ? pageUrl(page - 1, Math.max(0, offset - pageSize)) : null,
      url: pageUrl(page, token === undefined ? undefined : offset),
      next_page_url: hasNext ? pageUrl(page + 1, offset + pageSize) : null,
      key: req.key,
    },
  };
}
