// The HL levels of the hierarchical transactions (270/271, 276/277): each level must sit under the level the
// guide puts above it, so a reader can attach every segment to the payer, provider and patient it belongs to.
import type { Segment } from './scanner';
import type { X12SyntaxError } from './syntaxError';
import { badValue, opt, required } from './values';

export interface Level {
  /** HL01. */
  id: string;
  /** HL02; undefined for a top level. */
  parentId?: string;
  /** HL03: 20 information source, 21 receiver, 19 provider, 22 subscriber, 23 dependent. */
  code: string;
  segmentIndex: number;
}

/** For each level code, the level code its parent must have (null: a top level). */
export type LevelParents = Readonly<Record<string, string | null>>;

export const ELIGIBILITY_LEVELS: LevelParents = { '20': null, '21': '20', '22': '21', '23': '22' };
export const CLAIM_STATUS_LEVELS: LevelParents = { '20': null, '21': '20', '19': '21', '22': '19', '23': '22' };

/** Reads HL segments in order; throws X12SyntaxError at an HL whose place in the tree cannot be known. */
export class HierarchyReader {
  private readonly levels = new Map<string, { code: string; seg: Segment; says?: string; children: number }>();

  constructor(
    private readonly parents: LevelParents,
    private readonly setId: string,
  ) {}

  read(seg: Segment): Level {
    const id = required(seg, 1);
    const code = required(seg, 3);
    const parentId = opt(seg, 2);
    if (!(code in this.parents)) throw badValue(seg, 3, `HL03 ${code} is not a level of a ${this.setId}`);
    if (this.levels.has(id)) throw badValue(seg, 1, `HL01 ${id} is used twice`);
    const expected = this.parents[code];
    if (expected === null) {
      if (parentId !== undefined) throw badValue(seg, 2, `a level ${code} is a top level, yet HL02 names parent ${parentId}`);
    } else {
      if (parentId === undefined) throw badValue(seg, 2, `a level ${code} needs a parent level ${expected} (HL02 is empty)`);
      const parent = this.levels.get(parentId);
      if (!parent) throw badValue(seg, 2, `HL02 ${parentId} names no earlier HL`);
      if (parent.code !== expected)
        throw badValue(seg, 2, `a level ${code} must sit under a level ${expected}, HL ${parentId} is a level ${parent.code}`);
      parent.children++;
    }
    this.levels.set(id, { code, seg, says: opt(seg, 4), children: 0 });
    return { id, parentId, code, segmentIndex: seg.index };
  }

  /** HL04 that disagrees with what follows (says children follow and none do, or the reverse): worth a warning only. */
  childCodeWarnings(): X12SyntaxError[] {
    const warnings: X12SyntaxError[] = [];
    for (const [id, l] of this.levels) {
      if (l.says === '1' && l.children === 0) warnings.push(badValue(l.seg, 4, `HL04 says level ${id} has children, none follow`));
      if (l.says === '0' && l.children > 0)
        warnings.push(badValue(l.seg, 4, `HL04 says level ${id} has no children, ${l.children} follow`));
    }
    return warnings;
  }
}
