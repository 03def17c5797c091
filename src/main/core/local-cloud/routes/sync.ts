import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isoSeconds } from '../clock';
import { notFound } from '../errors';
import type { DocumentRecord } from '../model';
import { paginate } from '../paging';
import { bodyParams, pathParam, queryParams, type RouteContext, saved } from './context';

/** Twilio's limit on a Sync Document's Ttl: one year, in seconds. */
const MAX_TTL = 31_536_000;
const DOCS = '/sync/v1/Services/:service/Documents';

export function registerSyncRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const docsPath = () => `/v1/Services/${ctx.state.credentials.syncServiceSid}/Documents`;
  const docUrl = (sid: string) => ctx.url('sync', `${docsPath()}/${sid}`);
  const show = (d: DocumentRecord) => ({
    sid: d.sid,
    unique_name: d.uniqueName,
    account_sid: ctx.state.credentials.accountSid,
    service_sid: ctx.state.credentials.syncServiceSid,
    url: docUrl(d.sid),
    links: { permissions: `${docUrl(d.sid)}/Permissions` },
    revision: String(d.revision),
    data: d.data,
    date_expires: d.dateExpires === null ? null : isoSeconds(d.dateExpires),
    date_created: isoSeconds(d.dateCreated),
    date_updated: isoSeconds(d.dateUpdated),
    created_by: 'system',
  });
  /** Only the cloud's one Sync Service exists. */
  const checkService = (request: FastifyRequest) => {
    const service = pathParam(request, 'service');
    if (service !== ctx.state.credentials.syncServiceSid) throw notFound(`Service ${service}`);
  };
  const ttl = { min: 0, max: MAX_TTL };

  app.post(DOCS, async (request, reply) => {
    checkService(request);
    const p = bodyParams(request);
    const doc = ctx.state.createDocument({ uniqueName: p.string('UniqueName') || undefined, data: p.string('Data'), ttl: p.int('Ttl', ttl) });
    return saved(ctx, reply, 201, show(doc));
  });

  app.get(DOCS, async (request) => {
    checkService(request);
    const page = paginate(ctx.state.listDocuments(), queryParams(request), {
      listUrl: ctx.url('sync', docsPath()),
      key: 'documents',
      filters: {},
      maxPageSize: 100,
    });
    return { documents: page.items.map(show), meta: page.meta };
  });

  app.get(`${DOCS}/:sid`, async (request) => {
    checkService(request);
    return show(ctx.state.findDocument(pathParam(request, 'sid')));
  });

  app.post(`${DOCS}/:sid`, async (request, reply) => {
    checkService(request);
    const p = bodyParams(request);
    const ifMatch = request.headers['if-match'];
    const doc = ctx.state.updateDocument(pathParam(request, 'sid'), {
      data: p.string('Data'),
      ttl: p.int('Ttl', ttl),
      ifMatch: typeof ifMatch === 'string' ? ifMatch : undefined,
    });
    return saved(ctx, reply, 200, show(doc));
  });

  app.delete(`${DOCS}/:sid`, async (request, reply) => {
    checkService(request);
    ctx.state.deleteDocument(pathParam(request, 'sid'));
    await ctx.state.save();
    return reply.code(204).send();
  });
}
