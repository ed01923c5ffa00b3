// Form fields for the charge-entry screens, with the API's refusal shown beside the field it names. The API
// answers a bad body with { error: { code, message, field } }, field a path such as `coverages[0].memberId`
// or `lines[1].diagnosisPointers[0]`; a field shows the messages for its own path and, for a leaf, the paths
// below it (a pointer of the pointers, a modifier of the modifiers).
import type { ReactNode } from 'react';
import { ApiError } from '../api';

/** field path → message */
export type FieldErrors = ReadonlyMap<string, string>;

export const NO_ERRORS: FieldErrors = new Map();

/** The message for `name`: its own, or (unless `exact`) one for a path inside it. */
export function messageFor(errors: FieldErrors, name: string, exact = false): string | undefined {
  const own = errors.get(name);
  if (own || exact) return own;
  for (const [field, message] of errors) if (field.startsWith(`${name}[`) || field.startsWith(`${name}.`)) return message;
  return undefined;
}

/** A refusal the API named a field for, as field errors; anything else is the caller's to show. */
export function fieldErrorsOf(err: unknown): FieldErrors | undefined {
  if (err instanceof ApiError && err.field && (err.status === 400 || err.status === 422)) return new Map([[err.field, err.message]]);
  return undefined;
}

/** The DOM id of the input for a field path: `coverages[0].memberId` → `f-coverages-0-memberId`. */
export const fieldId = (name: string) => `f-${name.replace(/[[\].]+/g, '-').replace(/-$/, '')}`;

export function FieldMessage({ errors, name, exact }: { errors: FieldErrors; name: string; exact?: boolean }) {
  const message = messageFor(errors, name, exact);
  if (!message) return null;
  return (
    <span className="field-error" data-field-error={name} id={`${fieldId(name)}-error`}>
      {message}
    </span>
  );
}

/** A labelled input with its error beneath; the input itself is the child and must carry id={fieldId(name)}. */
export function Field({
  label,
  name,
  errors,
  children,
  hint,
  className,
}: {
  label: string;
  name: string;
  errors: FieldErrors;
  children: ReactNode;
  hint?: string;
  className?: string;
}) {
  const invalid = messageFor(errors, name) !== undefined;
  return (
    <div className={`field${invalid ? ' invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={fieldId(name)}>{label}</label>
      {children}
      {hint && <span className="muted small">{hint}</span>}
      <FieldMessage errors={errors} name={name} />
    </div>
  );
}
