/**
 * Registers the service worker (client/public/sw.js) that keeps the page shell and its assets,
 * so a pad visited before opens from IndexedDB while offline. Needs no inline script.
 */
export function registerOfflineShell(): void {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  navigator.serviceWorker.register('/sw.js').catch(() => {
    // No offline shell (private mode, blocked): the page still works online.
  });
}
