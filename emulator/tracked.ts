// Collections that report which keys changed, so the journal can persist exactly what a request wrote.

export type ChangeSink = (table: string, key: string) => void;

export class TrackedMap<V> extends Map<string, V> {
  private sink: ChangeSink | undefined;

  constructor(
    readonly table: string,
    sink: ChangeSink,
  ) {
    super();
    this.sink = sink;
  }

  protected changed(key: string): void {
    this.sink?.(this.table, key);
  }

  override set(key: string, value: V): this {
    super.set(key, value);
    this.changed(key);
    return this;
  }

  override delete(key: string): boolean {
    const had = super.delete(key);
    if (had) this.changed(key);
    return had;
  }

  override clear(): void {
    for (const key of this.keys()) this.changed(key);
    super.clear();
  }
}

/** A set held in a TrackedMap: changing its members marks its key in the map as changed. */
export class TrackedSet<T> extends Set<T> {
  private onChange: (() => void) | undefined;

  constructor(values: Iterable<T>, onChange: () => void) {
    super(values);
    this.onChange = onChange;
  }

  override add(value: T): this {
    const had = this.has(value);
    super.add(value);
    if (!had) this.onChange?.();
    return this;
  }

  override delete(value: T): boolean {
    const had = super.delete(value);
    if (had) this.onChange?.();
    return had;
  }

  override clear(): void {
    if (this.size) this.onChange?.();
    super.clear();
  }
}

/** A TrackedMap of sets whose members are tracked too (role members, role permissions). */
export class TrackedSetMap extends TrackedMap<Set<string>> {
  override set(key: string, value: Set<string>): this {
    return super.set(key, new TrackedSet(value, () => this.changed(key)));
  }
}
