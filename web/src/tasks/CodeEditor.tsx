// The codes of a claim being worked: its diagnoses (in pointer order) with their ICD-10-CM descriptions,
// search over the code set, the coding suggestions beside them, and the lines with their diagnosis pointers.
// Removing or moving a diagnosis re-points the lines, so a line never points at nothing.
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { api, query } from '../api';
import { money } from '../format';
import type { CodeResult, CodeSearch } from '../types';

export interface LineInput {
  procedureCode: string;
  modifiers: string[];
  units: number;
  chargeCents: number;
  diagnosisPointers: number[];
}

export interface Codes {
  diagnoses: string[];
  lines: LineInput[];
}

export interface Suggestion {
  code: string;
  description: string;
  matchedWords?: string[];
  score?: number;
}

const MAX_DIAGNOSES = 12;
const norm = (c: string) => c.toUpperCase().replace(/\./g, '');

/** Diagnoses reordered by `order` (old indexes in their new order); pointers follow, dropped ones vanish. */
function reorder(codes: Codes, order: number[]): Codes {
  const newIndex = new Map(order.map((old, i) => [old + 1, i + 1]));
  return {
    diagnoses: order.map((i) => codes.diagnoses[i]),
    lines: codes.lines.map((l) => {
      const pointers = l.diagnosisPointers.flatMap((p) => newIndex.get(p) ?? []);
      return { ...l, diagnosisPointers: pointers.length ? pointers : [1] };
    }),
  };
}

export function describe(codes: string[], known: Map<string, CodeResult>): Promise<Map<string, CodeResult>> {
  const missing = codes.filter((c) => !known.has(norm(c)));
  if (!missing.length) return Promise.resolve(known);
  return api<CodeSearch>(`/api/codes/icd10${query({ codes: missing.join(',') })}`).then((r) => {
    const next = new Map(known);
    for (const res of r.results) next.set(norm(res.code), res);
    return next;
  });
}

export interface CodeEditorHandle {
  focusSearch(): void;
}

interface Props {
  value: Codes;
  onChange(next: Codes): void;
  suggestions?: Suggestion[];
  /** the claim's codes before this task: changes are marked against them */
  original: Codes;
}

export const CodeEditor = forwardRef<CodeEditorHandle, Props>(function CodeEditor({ value, onChange, suggestions, original }, ref) {
  const [known, setKnown] = useState<Map<string, CodeResult>>(new Map());
  const searchRef = useRef<HTMLInputElement>(null);
  useImperativeHandle(ref, () => ({ focusSearch: () => searchRef.current?.focus() }), []);

  useEffect(() => {
    describe(value.diagnoses, known).then(setKnown, () => {});
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value.diagnoses.join(',')]);

  const has = (code: string) => value.diagnoses.some((d) => norm(d) === norm(code));
  const add = (code: string) => {
    if (has(code) || value.diagnoses.length >= MAX_DIAGNOSES) return;
    onChange({ ...value, diagnoses: [...value.diagnoses, code] });
  };
  const remove = (i: number) =>
    onChange(
      reorder(
        value,
        value.diagnoses.map((_, k) => k).filter((k) => k !== i),
      ),
    );
  const moveUp = (i: number) => {
    if (i === 0) return;
    const order = value.diagnoses.map((_, k) => k);
    [order[i - 1], order[i]] = [order[i], order[i - 1]];
    onChange(reorder(value, order));
  };
  const setPointers = (lineIndex: number, text: string) => {
    const pointers = [
      ...new Set(
        text
          .split(/[^0-9]+/)
          .filter(Boolean)
          .map(Number),
      ),
    ]
      .filter((p) => p >= 1 && p <= value.diagnoses.length)
      .slice(0, 4);
    onChange({
      ...value,
      lines: value.lines.map((l, i) =>
        i === lineIndex ? { ...l, diagnosisPointers: pointers.length ? pointers : l.diagnosisPointers } : l,
      ),
    });
  };
  const wasThere = (code: string) => original.diagnoses.some((d) => norm(d) === norm(code));

  return (
    <div className="codes">
      <div className="codes-grid">
        <div>
          <h3>Diagnoses on the claim</h3>
          <ol className="diagnoses" aria-label="Diagnoses on the claim">
            {value.diagnoses.map((code, i) => {
              const info = known.get(norm(code));
              return (
                <li key={code} data-code={code}>
                  <span className="mono code">{code}</span>
                  <span className="desc">{info ? info.description : 'looking up…'}</span>
                  {info && !info.billable && <span className="tag danger">not billable: pick a more specific code</span>}
                  {!wasThere(code) && <span className="tag added">added</span>}
                  <span className="row-actions">
                    <button
                      type="button"
                      className="icon"
                      onClick={() => moveUp(i)}
                      disabled={i === 0}
                      aria-label={`Move ${code} up`}
                      title="Move up"
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      className="icon"
                      onClick={() => remove(i)}
                      disabled={value.diagnoses.length <= 1}
                      aria-label={`Remove ${code}`}
                      title="Remove"
                    >
                      ✕
                    </button>
                  </span>
                </li>
              );
            })}
          </ol>
          {original.diagnoses.filter((d) => !has(d)).length > 0 && (
            <p className="muted small">Removed: {original.diagnoses.filter((d) => !has(d)).join(', ')}</p>
          )}
          <CodeSearch inputRef={searchRef} onPick={add} isAdded={has} />
        </div>
        {suggestions && (
          <div>
            <h3>Suggested from the note</h3>
            {suggestions.length === 0 && <p className="muted">No suggestions: the note matched no code.</p>}
            <ul className="suggestions" aria-label="Suggested codes">
              {suggestions.map((s) => (
                <li key={s.code}>
                  <span className="mono code">{s.code}</span>
                  <span className="desc">
                    {s.description}
                    {s.matchedWords && s.matchedWords.length > 0 && (
                      <span className="muted small"> — matched: {s.matchedWords.join(', ')}</span>
                    )}
                  </span>
                  {has(s.code) ? (
                    <span className="tag ok">on the claim</span>
                  ) : (
                    <button type="button" className="small-btn" onClick={() => add(s.code)} aria-label={`Add ${s.code}`}>
                      + add
                    </button>
                  )}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>

      <h3>Lines</h3>
      <table className="lines" aria-label="Claim lines">
        <thead>
          <tr>
            <th>#</th>
            <th>Procedure</th>
            <th>Modifiers</th>
            <th className="num">Units</th>
            <th className="num">Charge</th>
            <th>Diagnosis pointers</th>
          </tr>
        </thead>
        <tbody>
          {value.lines.map((l, i) => (
            <tr key={i}>
              <td>{i + 1}</td>
              <td className="mono">{l.procedureCode}</td>
              <td className="mono">{l.modifiers.join(' ') || '—'}</td>
              <td className="num">{l.units}</td>
              <td className="num">{money(l.chargeCents)}</td>
              <td>
                <PointerInput
                  value={l.diagnosisPointers}
                  onCommit={(text) => setPointers(i, text)}
                  label={`Diagnosis pointers of line ${i + 1}`}
                />
                <span className="muted small"> {l.diagnosisPointers.map((p) => value.diagnoses[p - 1] ?? '?').join(', ')}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
});

function PointerInput({ value, onCommit, label }: { value: number[]; onCommit(text: string): void; label: string }) {
  const joined = value.join(',');
  const [text, setText] = useState(joined);
  // The pointers as text change only when the numbers do, not when the parent hands over a new array of the same.
  useEffect(() => setText(joined), [joined]);
  return (
    <input
      className="pointers"
      size={8}
      aria-label={label}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={() => onCommit(text)}
      onKeyDown={(e) => {
        // Enter takes the pointers; it must not send the outcome form around the editor.
        if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) {
          e.preventDefault();
          onCommit(text);
        }
      }}
    />
  );
}

/** ICD-10-CM search: by code start or words; arrows move, Enter adds, Escape clears. Charge entry uses it too. */
export function CodeSearch({
  inputRef,
  onPick,
  isAdded,
}: {
  inputRef: React.RefObject<HTMLInputElement | null>;
  onPick(code: string): void;
  isAdded(code: string): boolean;
}) {
  const [q, setQ] = useState('');
  const [results, setResults] = useState<CodeResult[]>([]);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string>();

  useEffect(() => {
    const term = q.trim();
    if (term.length < 2) {
      setResults([]);
      return;
    }
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      api<CodeSearch>(`/api/codes/icd10${query({ q: term, limit: 10 })}`, { signal: ctrl.signal })
        .then((r) => {
          setResults(r.results);
          setActive(0);
          setError(undefined);
        })
        .catch((e: Error) => e.name !== 'AbortError' && setError(e.message));
    }, 150);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [q]);

  const pick = (r: CodeResult | undefined) => {
    if (!r || !r.billable) return;
    onPick(r.code);
    // Ready for the next code: the field keeps the focus, the list goes.
    setQ('');
  };

  return (
    <div className="code-search">
      <label htmlFor="code-search">
        Search ICD-10-CM <kbd>/</kbd>
      </label>
      <input
        id="code-search"
        ref={inputRef}
        type="search"
        autoComplete="off"
        placeholder="code (E11.9) or words (type 2 diabetes)"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((i) => Math.min(results.length - 1, i + 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((i) => Math.max(0, i - 1));
          } else if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) {
            e.preventDefault();
            pick(results[active]);
          } else if (e.key === 'Escape') {
            e.stopPropagation();
            if (q) setQ('');
            else (e.target as HTMLInputElement).blur();
          }
        }}
        aria-controls="code-results"
      />
      {error && <p className="error small">{error}</p>}
      {results.length > 0 && (
        <ul id="code-results" className="results" role="listbox" aria-label="Search results">
          {results.map((r, i) => (
            <li
              key={r.code}
              role="option"
              aria-selected={i === active}
              className={`${i === active ? 'active' : ''} ${r.billable ? '' : 'header-code'}`}
              onMouseEnter={() => setActive(i)}
              onClick={() => pick(r)}
            >
              <span className="mono code">{r.code}</span>
              <span className="desc">{r.description}</span>
              {!r.billable && <span className="tag">category: not billable</span>}
              {isAdded(r.code) && <span className="tag ok">on the claim</span>}
            </li>
          ))}
        </ul>
      )}
      {q.trim().length >= 2 && results.length === 0 && !error && <p className="muted small">No code matches “{q.trim()}”.</p>}
    </div>
  );
}
