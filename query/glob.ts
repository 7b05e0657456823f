// Wildcard matching for `*` patterns without regular expressions: the literal pieces between stars are found left to
// right (the leftmost match is always safe for `*`-only patterns), so the work is bounded by pattern × text length
// and no pattern can backtrack exponentially. U+0000 in a pattern stands for an escaped, literal star.

export function globMatcher(pattern: string): (text: string) => boolean {
  const pieces = pattern.split('*').map((p) => p.replaceAll('\u0000', '*'));
  if (pieces.length === 1) {
    const only = pieces[0]!;
    return (text) => text === only;
  }
  const head = pieces[0]!;
  const tail = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((p) => p !== '');
  const minLength = head.length + tail.length + middle.reduce((n, p) => n + p.length, 0);
  return (text) => {
    if (text.length < minLength || !text.startsWith(head) || !text.endsWith(tail)) return false;
    let at = head.length;
    const end = text.length - tail.length;
    for (const piece of middle) {
      const found = text.indexOf(piece, at);
      if (found < 0 || found + piece.length > end) return false;
      at = found + piece.length;
    }
    return true;
  };
}
