// The window's keys, read from the command registry: a key combination runs the command that has it (if it can run
// now), and G then a letter goes to a screen. Keys without Ctrl, Alt or ⌘ are typing while a field has focus, and
// nothing but the palette's own Ctrl+K acts inside a dialog (it has its own keys).
import { allCommands, isAvailable, shortcutsOf, type Command } from './registry';

/** How long the second key of a chord may wait for. */
export const CHORD_MS = 1500;

/**
 * "Alt+Shift+B" for a key event: its modifiers, then the key's place on the keyboard (a letter, a digit, "`" for the
 * key left of 1).
 */
export function keyCombo(e: {
  altKey: boolean;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  code: string;
}): string {
  const key = e.code.startsWith('Key')
    ? e.code.slice(3)
    : e.code.startsWith('Digit')
      ? e.code.slice(5)
      : e.code === 'Backquote'
        ? '`'
        : e.code;
  return [e.ctrlKey && 'Ctrl', e.metaKey && 'Meta', e.altKey && 'Alt', e.shiftKey && 'Shift', key]
    .filter(Boolean)
    .join('+');
}

function isTyping(target: HTMLElement): boolean {
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.isContentEditable;
}

const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'AltGraph', 'CapsLock']);

/** The first key of a chord, waiting for its second. */
let pending: { key: string; at: number } | null = null;

/** Whether a chord's first key was pressed and waits for the second (the sidebar could show it). */
export const chordPending = () => pending !== null && Date.now() - pending.at < CHORD_MS;

function run(e: KeyboardEvent, c: Command): true {
  e.preventDefault();
  c.run!();
  return true;
}

/** Acts on one key event; says whether a command took it. */
export function handleKey(e: KeyboardEvent): boolean {
  if (MODIFIERS.has(e.key)) return false;
  const target = (e.target instanceof HTMLElement ? e.target : document.body) as HTMLElement;
  const inDialog = !!target.closest?.('dialog');
  const typing = isTyping(target);
  const plain = !e.ctrlKey && !e.altKey && !e.metaKey;
  const commands = allCommands();

  const first = pending;
  pending = null;
  if (first && plain && !typing && !inDialog && Date.now() - first.at < CHORD_MS) {
    const chord = `${first.key} ${e.key.toUpperCase()}`;
    const c = commands.find((x) => x.chord === chord && isAvailable(x));
    if (c) return run(e, c);
  }

  // The combination by the keys' places ("Alt+1" on any layout), and a printed character by itself ("?").
  const combos = [keyCombo(e), ...(plain && e.key.length === 1 ? [e.key] : [])];
  for (const c of commands) {
    const keys = shortcutsOf(c);
    const key = combos.find((k) => keys.includes(k));
    if (!key || !c.run) continue;
    if (inDialog && !c.inDialogs) continue;
    if (typing && !/^(Ctrl|Meta|Alt)\+/.test(key)) continue;
    if (isAvailable(c)) return run(e, c);
  }

  if (plain && !typing && !inDialog && e.key.length === 1) {
    const start = `${e.key.toUpperCase()} `;
    if (commands.some((c) => c.chord?.startsWith(start) && isAvailable(c))) {
      pending = { key: e.key.toUpperCase(), at: Date.now() };
      e.preventDefault();
      return true;
    }
  }
  return false;
}

/** Follows the window's keys; returns the unfollow. */
export function listenForKeys(target: Window = window): () => void {
  const onKey = (e: KeyboardEvent) => void handleKey(e);
  target.addEventListener('keydown', onKey);
  return () => target.removeEventListener('keydown', onKey);
}
