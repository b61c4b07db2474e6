/** The words the pad header shows for each connection and save state. Tests match them exactly. */
import { CloseCode } from '../../../common/protocol.js';
import type { ConnectionState, SaveState } from './pad-connection.js';

export function connectionText(state: ConnectionState): string {
  switch (state.kind) {
    case 'connecting':
      return 'Connecting...';
    case 'live':
      return 'Live';
    case 'offline':
      return 'Offline, reconnecting...';
    case 'stalled':
      return 'Connection stalled, reconnecting...';
    case 'denied':
      return state.code === CloseCode.padFull ? 'Pad full' : 'Access denied';
  }
}

export function saveText(state: SaveState): string {
  switch (state) {
    case 'loading':
      return 'Loading...';
    case 'saving':
      return 'Saving...';
    case 'saved':
      return 'All changes saved';
    case 'offline-unsaved':
      return 'Offline: your changes are kept on this device';
    case 'stalled':
      return 'Not saved yet: connection stalled';
    case 'offline-clean':
      return 'Offline: no unsaved changes';
    case 'not-saved':
      return 'Not saved: your changes are kept on this device';
    case 'read-only':
      return 'Read-only';
  }
}
