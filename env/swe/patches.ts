/**
 * Unified diffs (as `git diff` writes them) → per-file sections and str_replace edits.
 *
 * Pure. The oracle replays a gold patch as one str_replace per hunk (old side → new side, context
 * included so the old text is unique), and compares a workspace's diff with the gold one file by file.
 */

export interface FileDiff {
  path: string;
  /** 'modify' for an existing file; 'add' / 'delete' for a created or removed one. */
  kind: 'modify' | 'add' | 'delete';
  /**
   * The hunks re-rendered from what was parsed (headers and lines, no index line): it identifies the change
   * independently of abbreviated hashes and of anything printed after the diff.
   */
  body: string;
  /** Every hunk held as many lines as its header announced (false for a diff cut short, e.g. truncated). */
  complete: boolean;
  hunks: Hunk[];
}

export interface Hunk {
  /** The `@@ -a,b +c,d @@ context` line. */
  header: string;
  /** The header's trailing context (often the enclosing function). */
  context: string;
  oldStart: number;
  oldCount: number;
  newCount: number;
  /** The hunk's lines as in the diff (with their ' ', '-', '+' or '\\' prefix). */
  lines: string[];
  oldLines: string[];
  newLines: string[];
}

export interface GoldEdit {
  path: string;
  oldStr: string;
  newStr: string;
  /** 1-based line where the hunk starts in the file before this edit (for a view_range). */
  line: number;
  /** Enclosing definition named by the hunk header, e.g. `def wrap(text, width):`, or ''. */
  context: string;
}

/** Splits a git diff into its file sections. */
export function parseDiff(diff: string): FileDiff[] {
  const files: FileDiff[] = [];
  const sections = diff.split(/^(?=diff --git )/m).filter((s) => s.startsWith('diff --git '));
  for (const section of sections) {
    const lines = section.split('\n');
    const header = /^diff --git a\/(.+) b\/(.+)$/.exec(lines[0]);
    if (!header) continue;
    const kind = /^new file mode/m.test(section) ? 'add' : /^deleted file mode/m.test(section) ? 'delete' : 'modify';
    const hunks = parseHunks(lines);
    const complete = hunks.every((h) => h.oldLines.length === h.oldCount && h.newLines.length === h.newCount);
    const body = hunks.map((h) => [h.header, ...h.lines].join('\n')).join('\n');
    files.push({ path: header[2], kind, body, complete, hunks });
  }
  return files;
}

/** Hunks in order; a hunk ends when it holds the line counts its header announced. */
function parseHunks(lines: string[]): Hunk[] {
  const hunks: Hunk[] = [];
  let current: Hunk | null = null;
  const full = (h: Hunk) => h.oldLines.length >= h.oldCount && h.newLines.length >= h.newCount;
  for (const line of lines) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,(\d+))? @@ ?(.*)$/.exec(line);
    if (header) {
      current = { header: line, context: header[4], oldStart: Number(header[1]), oldCount: Number(header[2] ?? 1), newCount: Number(header[3] ?? 1), oldLines: [], newLines: [], lines: [] };
      hunks.push(current);
    } else if (current && line.startsWith('\\')) {
      current.lines.push(line); // "\ No newline at end of file" belongs to the line before
    } else if (current && !full(current) && /^[ +-]/.test(line)) {
      current.lines.push(line);
      if (line[0] !== '+') current.oldLines.push(line.slice(1));
      if (line[0] !== '-') current.newLines.push(line.slice(1));
    } else if (current && !full(current) && line === '') {
      // Some tools strip the single space of an empty context line.
      current.lines.push(' ');
      current.oldLines.push('');
      current.newLines.push('');
    } else {
      current = null;
    }
  }
  return hunks;
}

/** The gold patch as str_replace edits, in order (one per hunk; line numbers shifted by earlier hunks). */
export function goldEdits(patch: string): GoldEdit[] {
  const edits: GoldEdit[] = [];
  for (const file of parseDiff(patch)) {
    let shift = 0;
    for (const hunk of file.hunks) {
      edits.push({
        path: file.path,
        oldStr: hunk.oldLines.join('\n'),
        newStr: hunk.newLines.join('\n'),
        line: hunk.oldStart + shift,
        context: hunk.context.trim(),
      });
      shift += hunk.newLines.length - hunk.oldLines.length;
    }
  }
  return edits;
}
