// The window's one list of what the keyboard and the palette can reach: screens, actions (the open user's
// included), window settings, and the keys a part of the window handles itself (a table's arrows), which are only
// listed. The palette, the global key handler, the sidebar and the shortcuts overlay all read it; features add
// their own entries when their module loads (`registerScreen`, `registerCommands`).
import type { ReactNode } from 'react';
import { create } from 'zustand';
import type { TenantProfile } from '../../../preload/contract';
import type { View } from '../stores/app';

export interface Command {
  /** Unique: "screen:users", "user:block", "window:theme-dark". */
  id: string;
  /** Where the palette lists it ("Go to", "Open user", "Window"). */
  group: string;
  /** Its name in the palette (it may depend on state: "Block user" or "Unblock user"). */
  label: string | (() => string);
  /** Where the shortcuts overlay lists it (by default its group); none: not listed there. */
  section?: string;
  /** What the overlay says it does, when that isn't its label ("Block or unblock"). */
  help?: string;
  /**
   * Its keys, as `keyCombo` writes a key event ("Alt+Shift+B", "Ctrl+K", "?"), the first shown; or, for keys a part
   * of the window handles itself (no `run`), their description ("↑ ↓").
   */
  shortcut?: string | string[];
  /** A two-key sequence, "G U": G, then U (never while typing). */
  chord?: string;
  /** Whether it can run now; when not, the palette doesn't offer it and its keys do nothing. */
  when?: () => boolean;
  /** What it does; none: only listed in the overlay (its keys are handled where they apply). */
  run?: () => void;
  /** Its keys work inside a dialog too (the palette's own Ctrl+K). */
  inDialogs?: boolean;
  /** Not offered in the palette (the palette's own entry, a key only listed). */
  hidden?: boolean;
  /** Order within its group and section (lower first; then the order of registration). */
  order?: number;
  /** A richer label for the palette (a tenant's colour and environment). */
  render?: () => ReactNode;
}

export interface Screen {
  view: View;
  label: string;
  /** Alt+digit; the first nine screens have one, later ones only their chord. */
  digit?: string;
  /** G, then this letter; by default the first letter of the label no other screen has. */
  letter?: string;
  /** Place in the sidebar and lists. */
  order: number;
  /**
   * What it needs to be shown: the active tenant ('tenant': shown for it, anew for each), any tenant ('tenants'), or
   * nothing ('nothing': it works on a machine with no tenant).
   */
  needs: 'tenant' | 'tenants' | 'nothing';
  render(tenant: TenantProfile | undefined): ReactNode;
}

/** A screen as the registry holds it: its letter settled. */
export type RegisteredScreen = Screen & { letter: string };

type Source = () => Command[];

interface RegistryState {
  sources: { key: number; get: Source }[];
  screens: RegisteredScreen[];
}

let nextKey = 1;

export const useRegistry = create<RegistryState>(() => ({ sources: [], screens: [] }));

/** Adds commands (a list, or a function giving the list as it is now: one per tenant); returns their removal. */
export function registerCommands(commands: Command[] | Source): () => void {
  const key = nextKey++;
  const get = typeof commands === 'function' ? commands : () => commands;
  useRegistry.setState((s) => ({ sources: [...s.sources, { key, get }] }));
  return () => useRegistry.setState((s) => ({ sources: s.sources.filter((x) => x.key !== key) }));
}

/** The command a screen gets: "Go to" it, on Alt+digit (if it has one) and its chord. */
function screenCommand(
  screen: RegisteredScreen,
  go: (view: View) => void,
  hasTenants: () => boolean,
): Command {
  return {
    id: `screen:${screen.view}`,
    group: 'Go to',
    section: 'Anywhere',
    label: screen.label,
    help: `Go to ${screen.label}`,
    ...(screen.digit ? { shortcut: `Alt+${screen.digit}` } : {}),
    chord: `G ${screen.letter.toUpperCase()}`,
    order: 100 + screen.order,
    // Screens about tenants wait for one (the first-run screen shows until then).
    when: () => screen.needs === 'nothing' || hasTenants(),
    run: () => go(screen.view),
  };
}

let screenNavigation: { go: (view: View) => void; hasTenants: () => boolean } = {
  go: () => undefined,
  hasTenants: () => true,
};

/** How a screen's command goes to it, and whether there are tenants (set once by the shell). */
export function setScreenNavigation(nav: typeof screenNavigation): void {
  screenNavigation = nav;
}

type Subscribe = (changed: () => void) => () => void;
const watched = new Set<Subscribe>();

/**
 * Says which stores a feature's commands read (their labels, their `when`), so a palette already open follows them:
 * a user whose panel finishes loading while the palette is open gets its actions listed at once.
 */
export function watchCommandState(...subscribes: Subscribe[]): void {
  for (const s of subscribes) watched.add(s);
}

/** Calls `changed` whenever a store that commands read changes; returns the unsubscription. */
export function onCommandStateChange(changed: () => void): () => void {
  const offs = [...watched].map((s) => s(changed));
  return () => offs.forEach((off) => off());
}

/** Adds a screen (replacing one of the same view): in the sidebar, on its keys, in the palette and the overlay. */
export function registerScreen(screen: Screen): () => void {
  const others = useRegistry.getState().screens.filter((s) => s.view !== screen.view);
  const taken = new Set(others.map((s) => s.letter));
  if (screen.letter && taken.has(screen.letter.toLowerCase()))
    throw new Error(`G ${screen.letter.toUpperCase()} is taken by another screen.`);
  if (screen.digit && others.some((s) => s.digit === screen.digit))
    throw new Error(`Alt+${screen.digit} is taken by another screen.`);
  const letter =
    screen.letter?.toLowerCase() ??
    [...`${screen.label.toLowerCase()}abcdefhijklmnopqrstuvwxyz`].find(
      (c) => /[a-z]/.test(c) && c !== 'g' && !taken.has(c),
    );
  if (!letter) throw new Error(`No letter is left for the screen ${screen.label}.`);
  const registered: RegisteredScreen = { ...screen, letter };
  useRegistry.setState({ screens: [...others, registered].sort((a, b) => a.order - b.order) });
  const off = registerCommands(() => [
    screenCommand(
      registered,
      (v) => screenNavigation.go(v),
      () => screenNavigation.hasTenants(),
    ),
  ]);
  return () => {
    off();
    useRegistry.setState((s) => ({ screens: s.screens.filter((x) => x !== registered) }));
  };
}

/** Every command as it is now, by order, then registration. */
export function allCommands(): Command[] {
  const list = useRegistry.getState().sources.flatMap((s) => s.get());
  return list
    .map((c, i) => ({ c, i }))
    .sort((a, b) => (a.c.order ?? 500) - (b.c.order ?? 500) || a.i - b.i)
    .map(({ c }) => c);
}

export const labelOf = (c: Command): string => (typeof c.label === 'function' ? c.label() : c.label);
export const isAvailable = (c: Command): boolean => !!c.run && (c.when?.() ?? true);
export const shortcutsOf = (c: Command): string[] =>
  c.shortcut === undefined ? [] : Array.isArray(c.shortcut) ? c.shortcut : [c.shortcut];

/** The palette's groups, in the order it lists them (others after). */
export const PALETTE_GROUPS = ['Open user', 'Switch tenant', 'Go to', 'Window'];

/** What the palette offers now, by group: commands that run and can run. */
export function paletteCommands(): Command[] {
  const rank = (c: Command) => {
    const at = PALETTE_GROUPS.indexOf(c.group);
    return at === -1 ? PALETTE_GROUPS.length : at;
  };
  return allCommands()
    .filter((c) => !c.hidden && isAvailable(c))
    .map((c, i) => ({ c, i }))
    .sort((x, y) => rank(x.c) - rank(y.c) || x.i - y.i)
    .map(({ c }) => c);
}

/** Runs a command by id if it can run now; says whether it did. */
export function runCommand(id: string): boolean {
  const c = allCommands().find((x) => x.id === id);
  if (!c || !isAvailable(c)) return false;
  c.run!();
  return true;
}

/** A shortcut as people read it: "Ctrl+K / ⌘K". */
export function shortcutText(c: Command): string {
  return shortcutsOf(c)
    .map((s) => s.replace(/^Meta\+/, '⌘'))
    .join(' / ');
}

/** The shortcuts overlay's sections, each with its lines (keys, what they do), in order. */
export function helpSections(
  order: string[],
): { title: string; items: { id: string; keys: string[]; what: string }[] }[] {
  const sections = new Map<string, { id: string; keys: string[]; what: string }[]>();
  for (const title of order) sections.set(title, []);
  for (const c of allCommands()) {
    const title = c.section ?? c.group;
    const keys = [shortcutText(c), c.chord ?? ''].filter(Boolean);
    if (keys.length === 0) continue;
    if (!sections.has(title)) sections.set(title, []);
    sections.get(title)!.push({ id: c.id, keys, what: c.help ?? labelOf(c) });
  }
  return [...sections].filter(([, items]) => items.length > 0).map(([title, items]) => ({ title, items }));
}
