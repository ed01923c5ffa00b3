// README.md's Configuration table, written from SETTINGS (infra/config.ts) so that the two cannot drift apart:
// scripts/config-table.ts prints or writes it, infra/config.test.ts fails when the README's copy differs.
import { settingEntries } from './config';

const HEADER = ['| Variable | Default | What it does |', '| --- | --- | --- |'];
export const REGENERATE = 'npx tsx scripts/config-table.ts --write';

const cell = (markdown: string) => markdown.replace(/\|/g, '\\|');

/** The markdown table, one row per entry of SETTINGS, in its order. */
export function configTable(): string {
  const rows = settingEntries().map(({ entry }) => {
    const names = (typeof entry.env === 'string' ? [entry.env] : entry.env).map((n) => `\`${n}\``).join(', ');
    return `| ${names} | ${cell(entry.default)} | ${cell(entry.doc)} |`;
  });
  return [...HEADER, ...rows].join('\n');
}

/** Where the table sits in the README: its first line and the line after its last, under `## Configuration`. */
function tableLines(lines: string[]): { start: number; end: number } {
  const section = lines.indexOf('## Configuration');
  const start = section < 0 ? -1 : lines.indexOf(HEADER[0], section);
  if (start < 0) throw new Error(`README.md has no table under "## Configuration" starting with "${HEADER[0]}"`);
  let end = start;
  while (end < lines.length && lines[end].startsWith('|')) end++;
  return { start, end };
}

/** The README's Configuration table as it stands. */
export function readmeConfigTable(readme: string): string {
  const lines = readme.split('\n');
  const { start, end } = tableLines(lines);
  return lines.slice(start, end).join('\n');
}

/** The README with its Configuration table replaced by the generated one. */
export function withConfigTable(readme: string): string {
  const lines = readme.split('\n');
  const { start, end } = tableLines(lines);
  return [...lines.slice(0, start), configTable(), ...lines.slice(end)].join('\n');
}
