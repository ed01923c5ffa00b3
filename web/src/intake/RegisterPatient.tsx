// Register a patient (#/patients/new): the practice (asked only of someone who works for several), who the
// patient is, and one to three coverages. What the API refuses is shown beside the field it names; once the
// patient is registered, charge entry opens for them.
import { useEffect, useState } from 'react';
import { api } from '../api';
import { loadPayers } from '../reference';
import { navigate } from '../router';
import type { NewCoverage, NewPatient, OrganizationList, Patient, Payer } from '../types';
import { usePoll } from '../usePoll';
import { Field, fieldErrorsOf, fieldId, NO_ERRORS, type FieldErrors } from './fields';

type Priority = NonNullable<NewCoverage['priority']>;
const PRIORITIES: Priority[] = ['PRIMARY', 'SECONDARY', 'TERTIARY'];
const PRIORITY_LABEL: Record<Priority, string> = { PRIMARY: 'Primary', SECONDARY: 'Secondary', TERTIARY: 'Tertiary' };
/** X12 individual relationship codes (2000C/2000B SBR02, PAT01): the patient is the subscriber's … */
const RELATIONSHIPS: [string, string][] = [
  ['18', 'Self'],
  ['01', 'Spouse'],
  ['19', 'Child'],
  ['20', 'Employee'],
  ['53', 'Life partner'],
  ['21', 'Unknown'],
];
const MAX_COVERAGES = 3;

interface CoverageForm {
  payerId: string;
  memberId: string;
  groupNumber: string;
  priority: Priority;
  relationship: string;
}

const blankCoverage = (i: number): CoverageForm => ({
  payerId: '',
  memberId: '',
  groupNumber: '',
  priority: PRIORITIES[i] ?? 'TERTIARY',
  relationship: '18',
});

export function RegisterPatient() {
  const practices = usePoll((signal) => api<OrganizationList>('/api/organizations', { signal }), [], 0);
  const [payers, setPayers] = useState<Payer[]>([]);
  const [form, setForm] = useState({
    organizationId: '',
    firstName: '',
    lastName: '',
    birthDate: '',
    sex: '',
    addressLine: '',
    city: '',
    state: '',
    postalCode: '',
  });
  const [coverages, setCoverages] = useState<CoverageForm[]>([blankCoverage(0)]);
  const [errors, setErrors] = useState<FieldErrors>(NO_ERRORS);
  const [failure, setFailure] = useState<string>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    loadPayers().then(
      (m) => setPayers([...m.values()]),
      (e: Error) => setFailure(e.message),
    );
  }, []);

  const choices = practices.data?.items ?? [];
  const asksPractice = choices.length > 1;
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value }));
  const setCoverage = (i: number, name: keyof CoverageForm, value: string) =>
    setCoverages((cs) => cs.map((c, k) => (k === i ? { ...c, [name]: value } : c)));

  const submit = async () => {
    if (saving) return;
    const body: NewPatient = {
      ...(asksPractice ? { organizationId: form.organizationId } : {}),
      firstName: form.firstName,
      lastName: form.lastName,
      birthDate: form.birthDate,
      // an unchosen sex goes as it is, so that the API names the field
      sex: form.sex as NewPatient['sex'],
      addressLine: form.addressLine,
      city: form.city,
      state: form.state.trim().toUpperCase(),
      postalCode: form.postalCode.trim(),
      coverages: coverages.map((c) => ({
        payerId: c.payerId,
        memberId: c.memberId,
        ...(c.groupNumber.trim() ? { groupNumber: c.groupNumber } : {}),
        priority: c.priority,
        relationship: c.relationship,
      })),
    };
    setSaving(true);
    setFailure(undefined);
    try {
      const patient = await api<Patient>('/api/patients', { method: 'POST', body });
      navigate(`/claims/new?patient=${encodeURIComponent(patient.id)}`);
    } catch (err) {
      const named = fieldErrorsOf(err);
      setErrors(named ?? NO_ERRORS);
      setFailure(named ? 'Not registered: correct the marked field.' : (err as Error).message);
      if (named) document.getElementById(fieldId([...named.keys()][0]))?.focus();
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="intake"
      aria-label="Register a patient"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="toolbar">
        <h1>Register a patient</h1>
      </div>
      {failure && (
        <p className="error banner" role="alert">
          {failure}
        </p>
      )}
      <section className="card" aria-label="Patient">
        <h2>Patient</h2>
        <div className="form-grid">
          {asksPractice && (
            <Field label="Practice" name="organizationId" errors={errors}>
              <select id={fieldId('organizationId')} value={form.organizationId} onChange={set('organizationId')}>
                <option value="">Choose the practice…</option>
                {choices.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            </Field>
          )}
          <Field label="First name" name="firstName" errors={errors}>
            <input id={fieldId('firstName')} value={form.firstName} onChange={set('firstName')} autoComplete="off" />
          </Field>
          <Field label="Last name" name="lastName" errors={errors}>
            <input id={fieldId('lastName')} value={form.lastName} onChange={set('lastName')} autoComplete="off" />
          </Field>
          <Field label="Birth date" name="birthDate" errors={errors}>
            <input id={fieldId('birthDate')} type="date" value={form.birthDate} onChange={set('birthDate')} />
          </Field>
          <Field label="Sex" name="sex" errors={errors}>
            <select id={fieldId('sex')} value={form.sex} onChange={set('sex')}>
              <option value="">Choose…</option>
              <option value="F">Female</option>
              <option value="M">Male</option>
              <option value="U">Unknown</option>
            </select>
          </Field>
          <Field label="Address" name="addressLine" errors={errors} className="wide">
            <input id={fieldId('addressLine')} value={form.addressLine} onChange={set('addressLine')} autoComplete="off" />
          </Field>
          <Field label="City" name="city" errors={errors}>
            <input id={fieldId('city')} value={form.city} onChange={set('city')} autoComplete="off" />
          </Field>
          <Field label="State" name="state" errors={errors} hint="2 letters, e.g. OR">
            <input id={fieldId('state')} value={form.state} onChange={set('state')} size={3} maxLength={2} autoComplete="off" />
          </Field>
          <Field label="ZIP code" name="postalCode" errors={errors}>
            <input id={fieldId('postalCode')} value={form.postalCode} onChange={set('postalCode')} size={10} autoComplete="off" />
          </Field>
        </div>
      </section>

      <section className="card" aria-label="Coverages">
        <h2>Coverages</h2>
        <FieldList errors={errors} />
        {coverages.map((c, i) => {
          const name = (field: string) => `coverages[${i}].${field}`;
          return (
            <fieldset key={i} className="coverage" aria-label={`Coverage ${i + 1}`}>
              <legend>Coverage {i + 1}</legend>
              <div className="form-grid">
                <Field label="Payer" name={name('payerId')} errors={errors}>
                  <select id={fieldId(name('payerId'))} value={c.payerId} onChange={(e) => setCoverage(i, 'payerId', e.target.value)}>
                    <option value="">Choose the payer…</option>
                    {payers.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field label="Member id" name={name('memberId')} errors={errors}>
                  <input
                    id={fieldId(name('memberId'))}
                    value={c.memberId}
                    onChange={(e) => setCoverage(i, 'memberId', e.target.value)}
                    autoComplete="off"
                  />
                </Field>
                <Field label="Group number" name={name('groupNumber')} errors={errors} hint="if the card has one">
                  <input
                    id={fieldId(name('groupNumber'))}
                    value={c.groupNumber}
                    onChange={(e) => setCoverage(i, 'groupNumber', e.target.value)}
                    autoComplete="off"
                  />
                </Field>
                <Field label="Priority" name={name('priority')} errors={errors}>
                  <select id={fieldId(name('priority'))} value={c.priority} onChange={(e) => setCoverage(i, 'priority', e.target.value)}>
                    {PRIORITIES.map((p) => (
                      <option key={p} value={p}>
                        {PRIORITY_LABEL[p]}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field label="Patient is the subscriber's" name={name('relationship')} errors={errors}>
                  <select
                    id={fieldId(name('relationship'))}
                    value={c.relationship}
                    onChange={(e) => setCoverage(i, 'relationship', e.target.value)}
                  >
                    {RELATIONSHIPS.map(([code, label]) => (
                      <option key={code} value={code}>
                        {label} ({code})
                      </option>
                    ))}
                  </select>
                </Field>
              </div>
              {coverages.length > 1 && (
                <button type="button" className="link" onClick={() => setCoverages((cs) => cs.filter((_, k) => k !== i))}>
                  Remove coverage {i + 1}
                </button>
              )}
            </fieldset>
          );
        })}
        {coverages.length < MAX_COVERAGES && (
          <button type="button" onClick={() => setCoverages((cs) => [...cs, blankCoverage(cs.length)])}>
            + Add a coverage
          </button>
        )}
      </section>

      <div className="submit-row">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Registering…' : 'Register and enter charges'}
        </button>
      </div>
    </form>
  );
}

/** What the API said of the coverages as a whole (none, a missing primary, too many). */
function FieldList({ errors }: { errors: FieldErrors }) {
  const message = errors.get('coverages');
  return message ? (
    <p className="field-error" data-field-error="coverages">
      {message}
    </p>
  ) : null;
}
