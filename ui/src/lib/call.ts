// How every command reaches Rust, and how its errors come back. The command functions themselves
// are generated (bindings/commands.ts); they all go through `call`.
import { invoke } from '@tauri-apps/api/core';
import type { ErrorCode } from './bindings/ErrorCode';
import type { IpcError } from './bindings/IpcError';
import { m } from './paraglide/messages.js';

/** An error from a command, as the UI acts on it: a code to branch on and a sentence to show. */
export class TillError extends Error {
  readonly code: ErrorCode | 'internal';

  constructor(code: ErrorCode | 'internal', message: string) {
    super(message);
    this.name = 'TillError';
    this.code = code;
  }
}

function isIpcError(value: unknown): value is IpcError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as IpcError).code === 'string' &&
    typeof (value as IpcError).message === 'string'
  );
}

/** Turns whatever a rejected command gave us into a TillError with a sentence a person can read. */
export function toTillError(raw: unknown): TillError {
  if (raw instanceof TillError) return raw;
  if (isIpcError(raw)) return new TillError(raw.code, raw.message);
  // Tauri rejects with a bare string when a command is unknown or not permitted.
  const detail = typeof raw === 'string' ? raw : raw instanceof Error ? raw.message : '';
  return new TillError(
    'internal',
    detail ? m.call_failed_detail({ detail }) : m.call_failed(),
  );
}

/** Invokes a command; a rejection always becomes a TillError. */
export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toTillError(raw);
  }
}
