import { BROADCAST_STEPS, type BroadcastStatus, type BroadcastStep } from '../../shared/broadcast';

export type StepState = 'pending' | 'active' | 'done' | 'failed';
export type StepView = { step: BroadcastStep; state: StepState };

const isStep = (value: unknown): value is BroadcastStep => (BROADCAST_STEPS as readonly unknown[]).includes(value);

/**
 * What the go-live stepper shows for a broadcast status.
 *
 * `firstFrame` is the media path's hook: `undefined` while no media path reports
 * frames (then `live` means every step is done), `false` while the player waits for
 * the first frame, `true` once it has one.
 */
export function stepsFor(status: BroadcastStatus | null, firstFrame?: boolean): StepView[] {
  const mark = (index: number, current: number, currentState: StepState): StepState =>
    index < current ? 'done' : index === current ? currentState : 'pending';
  if (!status) return BROADCAST_STEPS.map((step) => ({ step, state: 'pending' }));
  switch (status.state) {
    case 'starting': {
      const current = BROADCAST_STEPS.indexOf(status.step ?? 'room');
      return BROADCAST_STEPS.map((step, index) => ({ step, state: mark(index, current, 'active') }));
    }
    case 'live': {
      const frame: StepState = firstFrame === false ? 'active' : 'done';
      return BROADCAST_STEPS.map((step) => ({ step, state: step === 'first-frame' ? frame : 'done' }));
    }
    case 'failed': {
      const failedStep = status.error?.step;
      if (!isStep(failedStep)) return BROADCAST_STEPS.map((step) => ({ step, state: 'pending' }));
      const current = BROADCAST_STEPS.indexOf(failedStep);
      return BROADCAST_STEPS.map((step, index) => ({ step, state: mark(index, current, 'failed') }));
    }
    default:
      return BROADCAST_STEPS.map((step) => ({ step, state: 'pending' }));
  }
}

/** `1:02:03` or `02:03`, from the broadcast's ISO start time; never negative. */
export function formatElapsed(startedAt: string | null, now: number): string {
  if (!startedAt) return '00:00';
  const start = Date.parse(startedAt);
  const total = Number.isFinite(start) ? Math.max(0, Math.floor((now - start) / 1000)) : 0;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${two(minutes)}:${two(seconds)}`;
}
