// Loads the code sets once per process: the demo data shipped in domain/codesets/data, or a folder laid out
// like shared/fixtures/codesets (CMS downloads) named by CLAIMFLOW_CODESETS_DIR. ICD10CM_FILE still
// replaces the ICD-10-CM table alone.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { buildIndex, type CodeIndex } from '../domain/codeSearch';
import { describeCodeSetFile, type CodeSetFile } from '../domain/codesets/catalog';
import {
  HcpcsTable,
  ModifierTable,
  parseHcpcsAttributesTsv,
  parseHcpcsDescriptionsTsv,
  parseHcpcsFixedWidth,
  parseModifiersTsv,
  withDescriptions,
} from '../domain/codesets/hcpcs';
import { Icd10cmTable, parseIcd10cm } from '../domain/codesets/icd10cm';
import { AddOnTable, MueTable, parseAddOnTsv, parseMueTsv, parsePtpTsv } from '../domain/codesets/ncci';
import { parsePlaceOfServiceTsv, PlaceOfServiceTable } from '../domain/codesets/pos';
import { CodeSetRegistry, type RegistryOptions } from '../domain/codesets/registry';

export const DEMO_CODESETS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../domain/codesets/data');

/** Reads a code-set file as text: gunzips `.gz`, decodes the CMS fixed-width HCPCS file as latin-1. */
export function readCodeSetFile(file: string, encoding: BufferEncoding = 'utf8'): string {
  const buf = fs.readFileSync(file);
  return (file.endsWith('.gz') ? zlib.gunzipSync(buf) : buf).toString(encoding);
}

function listFiles(dir: string, depth = 3): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return depth > 0 ? listFiles(full, depth - 1) : [];
    return e.isFile() ? [full] : [];
  });
}

export interface LoadOptions extends RegistryOptions {
  /** an ICD-10-CM file to use instead of the folder's own ICD-10-CM files */
  icd10cmFile?: string;
}

/** Every code set in `dir` (searched three folders deep), each registered with the dates of service it answers for. */
export function loadCodeSetDirectory(dir: string, options: LoadOptions = {}): CodeSetRegistry {
  const registry = new CodeSetRegistry({ extendNewest: options.extendNewest });
  const files = listFiles(dir)
    .map((file) => ({ file, meta: describeCodeSetFile(file) }))
    .filter((f): f is { file: string; meta: CodeSetFile } => f.meta !== undefined)
    .filter((f) => !(options.icd10cmFile && f.meta.role === 'icd10cm'));
  if (options.icd10cmFile) {
    const meta = describeCodeSetFile(options.icd10cmFile) ?? {
      role: 'icd10cm',
      label: `ICD-10-CM (${path.basename(options.icd10cmFile)}, undated)`,
      partial: false,
      encoding: 'utf8',
    };
    files.push({ file: options.icd10cmFile, meta: { ...meta, role: 'icd10cm' } });
  }
  if (!files.length) throw new Error(`no code-set files found in ${dir}`);
  const text = (f: { file: string; meta: CodeSetFile }) => readCodeSetFile(f.file, f.meta.encoding);
  const span = (meta: CodeSetFile) => ({ label: meta.label, effectiveFrom: meta.effectiveFrom, effectiveTo: meta.effectiveTo });

  for (const f of files) {
    const { meta } = f;
    switch (meta.role) {
      case 'icd10cm':
        registry.add('icd10cm', { ...span(meta), table: new Icd10cmTable(parseIcd10cm(text(f)), { partial: meta.partial }) });
        break;
      case 'hcpcs-attributes': {
        let codes = parseHcpcsAttributesTsv(text(f));
        const descriptions = files.find((d) => d.meta.role === 'hcpcs-descriptions' && d.meta.edition === meta.edition);
        if (descriptions) codes = withDescriptions(codes, parseHcpcsDescriptionsTsv(text(descriptions)));
        registry.add('hcpcs', { ...span(meta), table: new HcpcsTable(codes) });
        break;
      }
      case 'hcpcs-fixed-width': {
        const { codes, modifiers } = parseHcpcsFixedWidth(text(f));
        registry.add('hcpcs', { ...span(meta), table: new HcpcsTable(codes) });
        registry.add('modifiers', {
          ...span(meta),
          label: `HCPCS Level II modifiers ${meta.edition}`,
          table: new ModifierTable(modifiers),
        });
        break;
      }
      case 'modifiers':
        registry.add('modifiers', { ...span(meta), table: new ModifierTable(parseModifiersTsv(text(f))) });
        break;
      case 'ptp':
        registry.add('ptp', {
          ...span(meta),
          table: parsePtpTsv(text(f), { partial: meta.partial, dropDeletedBefore: meta.effectiveFrom }),
        });
        break;
      case 'mue':
        registry.add('mue', { ...span(meta), table: new MueTable(parseMueTsv(text(f))) });
        break;
      case 'addOns':
        registry.add('addOns', { ...span(meta), table: new AddOnTable(parseAddOnTsv(text(f))) });
        break;
      case 'pos':
        registry.add('pos', { ...span(meta), table: new PlaceOfServiceTable(parsePlaceOfServiceTsv(text(f))) });
        break;
      case 'hcpcs-descriptions':
        break; // read with its attribute file
    }
  }
  return registry;
}

/** The settings the loaders read: Config's CLAIMFLOW_CODESETS_DIR, CLAIMFLOW_CODESETS_EXTEND_NEWEST and ICD10CM_FILE. */
export interface CodeSetSettings {
  codeSetsDir?: string;
  codeSetsExtendNewest: boolean;
  icd10cmFile?: string;
}

let registry: CodeSetRegistry | undefined;

/**
 * The process's code sets. CLAIMFLOW_CODESETS_DIR names a folder of current CMS files; dates of service after
 * its newest versions are then not scrubbed against them unless CLAIMFLOW_CODESETS_EXTEND_NEWEST=1. Without
 * it, the shipped demo data is loaded and its newest versions (ICD-10-CM FY2024, NCCI/MUE 2024-07-01, HCPCS
 * 2024-07) are extended to later dates, because the demo's claims are dated today: demo only, not billing advice.
 * Loaded once per process (one configuration each): a later call gets the same registry.
 */
export function loadCodeSets(s: CodeSetSettings): CodeSetRegistry {
  if (!registry) {
    registry = s.codeSetsDir
      ? loadCodeSetDirectory(path.resolve(s.codeSetsDir), { extendNewest: s.codeSetsExtendNewest, icd10cmFile: s.icd10cmFile })
      : loadCodeSetDirectory(DEMO_CODESETS_DIR, { extendNewest: true, icd10cmFile: s.icd10cmFile });
  }
  return registry;
}

let cached: CodeIndex | undefined;

/** The ICD-10-CM description index for coding suggestions: the newest loaded version (or ICD10CM_FILE). */
export function loadIcd10(s: CodeSetSettings): CodeIndex {
  if (!cached) {
    if (s.icd10cmFile) cached = buildIndex(parseIcd10cm(readCodeSetFile(s.icd10cmFile)));
    else {
      const versions = loadCodeSets(s).versions('icd10cm');
      if (!versions.length) throw new Error('no ICD-10-CM code set is loaded');
      const newest = versions.reduce((a, b) => ((b.effectiveFrom ?? '') > (a.effectiveFrom ?? '') ? b : a));
      cached = buildIndex([...newest.table.all()]);
    }
  }
  return cached;
}
