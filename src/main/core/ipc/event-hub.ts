import { contract, type EventName, type EventPayloadOf } from '../../../shared/contract';

export type EventSink = (event: EventName, payload: unknown) => void;

/** Main → renderer events. Payloads are checked against the contract before they leave. */
export class EventHub {
  private readonly sinks = new Set<EventSink>();

  connect(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  emit<E extends EventName>(event: E, payload: EventPayloadOf<E>): void {
    const checked = contract.events[event].parse(payload);
    for (const sink of this.sinks) sink(event, checked);
  }
}
