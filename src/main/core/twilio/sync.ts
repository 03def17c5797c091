import { StudioError } from '../../../shared/errors';
import type { StudioTwilio } from './client';

export interface SyncDocument<T> {
  sid: string;
  uniqueName: string;
  revision: string;
  data: T;
}

const notFound = (error: unknown) =>
  error instanceof StudioError && (error.code === 'twilio.not_found' || error.code === 'twilio.document_not_found');

/** A Sync document by unique name, or null when it does not exist (fetching a missing one throws 20404). */
export async function readDocument<T>(twilio: StudioTwilio, serviceSid: string, uniqueName: string): Promise<SyncDocument<T> | null> {
  try {
    const doc = await twilio.guard('sync', () => twilio.rest.sync.v1.services(serviceSid).documents(uniqueName).fetch());
    return { sid: doc.sid, uniqueName: doc.uniqueName, revision: doc.revision, data: doc.data as T };
  } catch (error) {
    if (notFound(error)) return null;
    throw error;
  }
}

/** Creates the document, or updates it by unique name when it exists already. */
export async function writeDocument<T extends object>(twilio: StudioTwilio, serviceSid: string, uniqueName: string, data: T): Promise<void> {
  const documents = twilio.rest.sync.v1.services(serviceSid).documents;
  try {
    await twilio.guard('sync', () => documents.create({ uniqueName, data }));
  } catch (error) {
    if (!(error instanceof StudioError && error.code === 'twilio.document_exists')) throw error;
    await twilio.guard('sync', () => documents(uniqueName).update({ data }));
  }
}

/** Deletes the document; a missing one counts as deleted. Returns whether it existed. */
export async function deleteDocument(twilio: StudioTwilio, serviceSid: string, uniqueName: string): Promise<boolean> {
  try {
    await twilio.guard('sync', () => twilio.rest.sync.v1.services(serviceSid).documents(uniqueName).remove());
    return true;
  } catch (error) {
    if (notFound(error)) return false;
    throw error;
  }
}
