/**
 * Code blocks of README.md, read at test time so that tests run exactly what the README shows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './repo.js';

/**
 * The fenced blocks of one language (```ts, ```sh) in the README section whose "## " heading starts
 * with `heading`, in order. Throws when the section or the block is missing, so a README edit
 * that drops an example fails the test that runs it instead of silently testing nothing.
 */
export function readmeBlocks(heading: string, language: string): string[] {
  const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');
  const sections = readme.split(/^## /m).slice(1);
  const section = sections.find((text) => text.startsWith(heading));
  if (section === undefined) throw new Error(`README.md has no "## ${heading}" section`);
  const blocks = [...section.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].filter((match) => match[1] === language).map((match) => match[2] as string);
  if (blocks.length === 0) throw new Error(`README.md section "## ${heading}" has no \`\`\`${language} block`);
  return blocks;
}
