import type { OnAirApi } from '../shared/api-surface';

declare global {
  interface Window {
    readonly onair: OnAirApi;
  }
}
export {};
