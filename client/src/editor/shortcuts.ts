/** Keyboard shortcut labels for tooltips, in the platform's own notation. */

// Chromium's userAgentData says "macOS"; navigator.platform says "MacIntel", "iPhone", ...
const isMac = /mac|iphone|ipad|ipod/i.test(
  (navigator as Navigator & { userAgentData?: { platform?: string } }).userAgentData?.platform ?? navigator.platform,
);

/**
 * `keys` in TipTap's notation (`Mod-Shift-8`) as a label: `⇧⌘8` on Apple systems,
 * `Ctrl+Shift+8` elsewhere.
 */
export function shortcutLabel(keys: string): string {
  const parts = keys.split('-');
  const key = parts.pop()?.toUpperCase() ?? '';
  if (isMac) {
    // Apple's order: Control, Option, Shift, Command (⇧⌘Z).
    const symbols: [string, string][] = [
      ['Ctrl', '⌃'],
      ['Alt', '⌥'],
      ['Shift', '⇧'],
      ['Mod', '⌘'],
    ];
    return (
      symbols
        .filter(([part]) => parts.includes(part))
        .map(([, symbol]) => symbol)
        .join('') + key
    );
  }
  const names: Record<string, string> = { Mod: 'Ctrl', Shift: 'Shift', Alt: 'Alt', Ctrl: 'Ctrl' };
  return [...parts.map((part) => names[part] ?? part), key].join('+');
}

/** `Bold (Ctrl+B)`, or just `Bold` without a shortcut. */
export function titleWithShortcut(label: string, keys?: string): string {
  return keys ? `${label} (${shortcutLabel(keys)})` : label;
}
