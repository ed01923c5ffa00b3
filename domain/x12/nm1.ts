// An NM1 segment as a Name.
import type { Segment } from './scanner';
import type { Name } from './phi';
import { el, opt } from './values';

export function nameOf(seg: Segment): Name {
  return {
    entity: el(seg, 1),
    entityType: el(seg, 2),
    lastName: el(seg, 3),
    firstName: opt(seg, 4),
    middleName: opt(seg, 5),
    suffix: opt(seg, 7),
    idQualifier: opt(seg, 8),
    id: opt(seg, 9)?.trim(),
  };
}
