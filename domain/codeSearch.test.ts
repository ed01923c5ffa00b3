// Coding suggestions read a note the way a coder does: abbreviations and lay words, negations, several
// conditions in one note.
import { describe, expect, it } from 'vitest';
import { buildIndex, suggestCodes, terms } from './codeSearch';

// real FY2024 descriptions (public domain)
const index = buildIndex(
  [
    ['E11', false, 'Type 2 diabetes mellitus'],
    ['E11.9', true, 'Type 2 diabetes mellitus without complications'],
    ['E11.8', true, 'Type 2 diabetes mellitus with unspecified complications'],
    ['E11.65', true, 'Type 2 diabetes mellitus with hyperglycemia'],
    ['E10.9', true, 'Type 1 diabetes mellitus without complications'],
    ['I10', true, 'Essential (primary) hypertension'],
    ['I15.9', true, 'Secondary hypertension, unspecified'],
    ['R03.0', true, 'Elevated blood-pressure reading, without diagnosis of hypertension'],
    ['K21.9', true, 'Gastro-esophageal reflux disease without esophagitis'],
    ['K21.00', true, 'Gastro-esophageal reflux disease with esophagitis, without bleeding'],
    ['J44.9', true, 'Chronic obstructive pulmonary disease, unspecified'],
    ['J44.1', true, 'Chronic obstructive pulmonary disease with (acute) exacerbation'],
    ['I50.9', true, 'Heart failure, unspecified'],
    ['J06.9', true, 'Acute upper respiratory infection, unspecified'],
    ['N39.0', true, 'Urinary tract infection, site not specified'],
    ['R50.9', true, 'Fever, unspecified'],
    ['R07.9', true, 'Chest pain, unspecified'],
    ['E78.5', true, 'Hyperlipidemia, unspecified'],
    ['E03.8', true, 'Other specified hypothyroidism'],
    ['E03.9', true, 'Hypothyroidism, unspecified'],
    ['H10.33', true, 'Unspecified acute conjunctivitis, bilateral'],
    ['H10.31', true, 'Unspecified acute conjunctivitis, right eye'],
    ['A15.0', true, 'Tuberculosis of lung'],
    ['B67.1', true, 'Echinococcus granulosus infection of lung'],
    ['Z90.2', true, 'Acquired absence of lung [part of]'],
    ['L50.2', true, 'Urticaria due to cold and heat'],
    ['R05.9', true, 'Cough, unspecified'],
    ['J31.0', true, 'Chronic rhinitis'],
    ['R09.81', true, 'Nasal congestion'],
  ].map(([code, billable, description]) => ({ code: code as string, billable: billable as boolean, description: description as string })),
);
const codes = (text: string, limit = 5) => suggestCodes(index, text, limit).map((s) => s.code);

describe('coding suggestions', () => {
  it('abbreviations: HTN, DM2, GERD, COPD, CHF, URI, UTI', () => {
    expect(codes('HTN, BP 148/92')[0]).toBe('I10');
    expect(codes('DM2 on metformin')[0]).toBe('E11.9');
    expect(codes('GERD, no esophagitis on EGD')[0]).toBe('K21.9');
    expect(codes('COPD, stable on inhaler')[0]).toBe('J44.9');
    expect(codes('CHF, euvolemic')[0]).toBe('I50.9');
    expect(codes('URI for 3 days')[0]).toBe('J06.9');
    expect(codes('UTI, urine dip positive')[0]).toBe('N39.0');
  });

  it('lay words: high blood pressure is hypertension, sugar is diabetes, high sugars hyperglycemia, pink eye in both eyes', () => {
    expect(codes('high blood pressure on amlodipine')[0]).toBe('I10');
    expect(codes('sugar diabetes type 2, high blood sugars')[0]).toBe('E11.65');
    expect(codes('pink eye, both eyes')[0]).toBe('H10.33');
  });

  it('"type 2" and "type 1" are told apart', () => {
    expect(codes('type 1 diabetes')[0]).toBe('E10.9');
    expect(codes('type II diabetes mellitus')[0]).toBe('E11.9');
  });

  it('negated findings are never suggested: "no fever", "denies chest pain", "afebrile"', () => {
    expect(codes('URI with congestion, no fever. Denies chest pain.', 10)).not.toContain('R50.9');
    expect(codes('URI with congestion, no fever. Denies chest pain.', 10)).not.toContain('R07.9');
    expect(codes('afebrile, hyperlipidemia', 10)).not.toContain('R50.9');
    expect(codes('fever and chest pain')).toEqual(expect.arrayContaining(['R50.9', 'R07.9']));
    expect(terms('rapid strep negative', { note: true }).map((t) => t.term)).toEqual(['no:rapid', 'no:strep']);
  });

  it('normal and resolved findings are not coded: "lungs clear", "a resolved cold"; "clear rhinorrhea" still is', () => {
    const lungs = ['A15.0', 'B67.1', 'Z90.2'];
    for (const note of [
      'Cough for four days; afebrile, lungs clear.',
      'Cough. Lungs clear to auscultation bilaterally.',
      'Cough, heart and lungs unremarkable',
    ]) {
      expect(
        codes(note, 10).filter((c) => lungs.includes(c)),
        note,
      ).toEqual([]);
      expect(codes(note, 1), note).toEqual(['R05.9']);
    }
    expect(codes('Cough lingering three weeks after a resolved cold', 10)).not.toContain('L50.2');
    expect(codes('Cough lingering three weeks after a resolved cold', 1)).toEqual(['R05.9']);
    expect(terms('cough after a resolved cold', { note: true }).map((t) => t.term)).toEqual(['cough']);
    expect(terms('cold resolved, cough persists', { note: true }).map((t) => t.term)).toEqual(['cough', 'persist']);
    // said of what follows, "clear" describes it and takes nothing away
    expect(terms('chronic clear rhinorrhea', { note: true }).map((t) => t.term)).toEqual(['chronic', 'rhinorrhea']);
    // in a description, nothing changes: "absence of lung" still reads as such
    expect(codes('acquired absence of lung', 1)).toEqual(['Z90.2']);
  });

  it('a negation in the note matches "without" in a description; "without" reaches only the words it qualifies', () => {
    expect(suggestCodes(index, 'GERD, no esophagitis')[0]).toMatchObject({
      code: 'K21.9',
      matchedWords: expect.arrayContaining(['no esophagitis']),
    });
    expect(codes('type 2 diabetes without complications and hyperlipidemia', 2)).toEqual(['E11.9', 'E78.5']);
  });

  it('an unspecific note leans to "unspecified", not to "other specified"', () => {
    expect(codes('hypothyroidism on levothyroxine')[0]).toBe('E03.9');
  });

  it('a note with several conditions surfaces each before variants of the first', () => {
    expect(codes('Follow-up of type 2 diabetes mellitus without complications. Essential hypertension, stable.', 2)).toEqual([
      'E11.9',
      'I10',
    ]);
  });

  it('headers are never suggested', () => {
    expect(codes('type 2 diabetes mellitus', 10)).not.toContain('E11');
  });
});
