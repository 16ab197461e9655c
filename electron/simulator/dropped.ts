/**
 * Fields a POST left out (docs/camera.md §4: every field of a form must be posted back, because a field left
 * out goes back to its factory default). The simulator records them so tests can assert that a driver never
 * drops one. Unticked checkboxes are legitimately absent, so they are not counted.
 */
import { BEHAVIOUR, GENERAL, PROFILE, SOURCE, USER, handlerForm } from './form-specs';
import { fieldName, orderedFields, type FormSpec, type FormVariant } from './forms';

/** A POST that left out fields the page rendered. */
export interface DroppedFields {
  path: string;
  form: string;
  fields: string[];
}

const CLASSIC_FORMS: Record<string, (sourceNames: string[]) => FormSpec> = {
  '/setup/system/general': () => GENERAL,
  '/setup/events/sources/save': () => SOURCE,
  '/setup/events/handlers/save': (names) => handlerForm(names),
  '/setup/events/analytics': () => PROFILE,
  '/setup/events/analytics/behavior': () => BEHAVIOUR,
  '/setup/users/save': () => USER,
};

/** The fields of a classic form that a POST to `path` left out (empty for other paths). */
export function classicDropped(variant: FormVariant, path: string, posted: URLSearchParams, sourceNames: string[]): DroppedFields | undefined {
  const spec = CLASSIC_FORMS[path]?.(sourceNames);
  if (!spec) return undefined;
  const fields = orderedFields(variant, spec)
    .filter((f) => f.kind !== 'checkbox' && f.kind !== 'checkgroup' && f.kind !== 'password' && !posted.has(fieldName(variant, spec.id, f.key)))
    .map((f) => `${f.label} (${fieldName(variant, spec.id, f.key)})`);
  return fields.length ? { path, form: spec.id, fields } : undefined;
}
