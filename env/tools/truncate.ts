/**
 * Head + tail truncation of an observation, with a marker saying how many characters were elided
 * (the beginning and the end of an output carry the command's context and its verdict). Pure.
 */
export interface Truncated {
  text: string;
  truncated: boolean;
  /** Characters of the input. */
  fullChars: number;
}

export function truncateMiddle(text: string, headChars = 10_000, tailChars = 10_000): Truncated {
  const fullChars = text.length;
  if (fullChars <= headChars + tailChars) return { text, truncated: false, fullChars };
  const elided = fullChars - headChars - tailChars;
  const head = text.slice(0, headChars);
  const tail = tailChars > 0 ? text.slice(fullChars - tailChars) : '';
  const marker = `\n[... ${elided} characters elided; narrow the output with grep, head or tail ...]\n`;
  return { text: head + marker + tail, truncated: true, fullChars };
}
