// The web view's only door into Rust. Types and command functions are generated from the Rust
// shell (src/lib/bindings; never edit them by hand); this file gathers them and adds the one
// event.
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { AppInfo } from './bindings/AppInfo';
import type { ErrorCode } from './bindings/ErrorCode';
import type { IpcError } from './bindings/IpcError';
import type { Readiness } from './bindings/Readiness';
import type { SaleDetail } from './bindings/SaleDetail';
import type { SaleUpdated } from './bindings/SaleUpdated';
import type { SaleView } from './bindings/SaleView';
import type { TimelineEntry } from './bindings/TimelineEntry';

export * from './bindings/commands';
export { TillError, toTillError } from './call';
export type {
  AppInfo,
  ErrorCode,
  IpcError,
  Readiness,
  SaleDetail,
  SaleUpdated,
  SaleView,
  TimelineEntry,
};

/** Sale changes pushed from Rust (the watcher); the UI never polls. */
export function onSaleUpdated(handler: (update: SaleUpdated) => void): Promise<UnlistenFn> {
  return listen<SaleUpdated>('sale-updated', (event) => handler(event.payload));
}
