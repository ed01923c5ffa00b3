import { describe, expect, it } from 'vitest';
import { memberIdKey, nameKey, parseSearch, prefixUpperBound } from './search';

describe('reading a search box', () => {
  it('folds names to letters and digits without accents or case', () => {
    expect(nameKey("Núñez-O'Brien")).toBe('nunezobrien');
    expect(nameKey('  Ødegård ')).toBe('degard');
    expect(memberIdKey('um-107919-37')).toBe('UM10791937');
  });

  it('reads name words, a date in either format, a member id and a claim id', () => {
    expect(parseSearch('Okafor, Milo')).toEqual({ names: ['okafor', 'milo'] });
    expect(parseSearch('marsh 3/14/1948')).toEqual({ names: ['marsh'], date: '1948-03-14' });
    expect(parseSearch('1948-03-14')).toEqual({ names: [], date: '1948-03-14' });
    expect(parseSearch('UM-107919-37')).toEqual({ names: [], memberId: 'UM10791937' });
    expect(parseSearch('cf0a1b2c3d4e')).toEqual({ names: [], claimId: 'CF0A1B2C3D4E', memberId: 'CF0A1B2C3D4E' });
  });

  it('refuses what cannot be searched (punctuation, one letter); a date that does not exist is no date', () => {
    expect(parseSearch('?!')).toBeNull();
    expect(parseSearch('a')).toBeNull();
    // not a date: taken for the member id it could be
    expect(parseSearch('2023-02-30')).toEqual({ names: [], memberId: '20230230' });
    expect(parseSearch('13/01/2020')).toEqual({ names: [], memberId: '13012020' });
  });

  it('bounds a prefix so that a range scan is "starts with"', () => {
    expect(prefixUpperBound('smi')).toBe('smj');
    expect(prefixUpperBound('a9')).toBe('a:');
    for (const key of ['smi', 'smith', 'smiz9']) expect(key >= 'smi' && key < prefixUpperBound('smi')).toBe(true);
    for (const key of ['smh', 'smj', 'sm']) expect(key >= 'smi' && key < prefixUpperBound('smi')).toBe(false);
  });
});
