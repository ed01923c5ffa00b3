// The CMS place-of-service code set: two-digit codes, each Facility, Non-Facility or Unassigned.
import { readTsv } from './tsv';

export interface PlaceOfService {
  code: string;
  type: 'Facility' | 'Non-Facility' | 'Unassigned';
  name: string;
}

/** `pos_code, pos_type, pos_name, pos_description` rows. */
export function parsePlaceOfServiceTsv(text: string): PlaceOfService[] {
  const t = readTsv(text, [
    ['pos_code', 'code'],
    ['pos_type', 'type'],
    ['pos_name', 'name'],
  ]);
  const [code, type, name] = [t.column('pos_code', 'code'), t.column('pos_type', 'type'), t.column('pos_name', 'name')];
  const out: PlaceOfService[] = [];
  for (const r of t.rows()) {
    const kind = r[type].trim();
    out.push({
      code: r[code].trim().padStart(2, '0'),
      type: kind === 'Facility' || kind === 'Non-Facility' ? kind : 'Unassigned',
      name: r[name].trim(),
    });
  }
  return out;
}

export class PlaceOfServiceTable {
  private readonly byCode = new Map<string, PlaceOfService>();
  constructor(codes: PlaceOfService[]) {
    for (const c of codes) this.byCode.set(c.code, c);
  }
  get size(): number {
    return this.byCode.size;
  }
  get(code: string): PlaceOfService | undefined {
    return this.byCode.get(code.trim());
  }
}
