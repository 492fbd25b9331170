import type { FormField, Locale } from '@threadline/core';
import type { Translate } from '../panel-props';
import { isPlausiblePhone } from '../callback/phone-check';

/** What a visitor typed or ticked, keyed by field name. */
export type FieldValues = Record<string, string | boolean>;

// Deliberately loose: one @, a dot in the domain, no spaces. The server checks
// e-mail addresses strictly (zod's email rule) and answers with the field named.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const BUILT_IN_TYPES: readonly string[] = ['name', 'phone', 'email', 'message'];

/**
 * The field's label in the visitor's language: the site's own, else the widget's default;
 * a custom field the site labelled in other languages only shows one of those (the site's
 * default language first, then English) rather than its internal name.
 */
export function fieldLabel(field: FormField, locale: Locale, siteLocale: Locale, t: Translate): string {
  const labels = field.label ?? {};
  return labels[locale] || (BUILT_IN_TYPES.includes(field.type) ? t(`form.field.${field.type}`) : labels[siteLocale] || labels.en || Object.values(labels).find(Boolean) || field.name);
}

const isEmpty = (value: string | boolean | undefined) => (typeof value === 'boolean' ? !value : !value?.trim());

/** The message for one field's value, or undefined when it is fine. */
export function fieldError(field: FormField, value: string | boolean | undefined, t: Translate): string | undefined {
  if (isEmpty(value)) {
    if (!field.required) return undefined;
    return field.type === 'checkbox' ? t('form.errorTick') : field.type === 'select' ? t('form.errorChoose') : t('form.errorRequired');
  }
  if (field.type === 'phone' && !isPlausiblePhone(String(value))) return t('form.errorPhone');
  if (field.type === 'email' && !EMAIL_SHAPE.test(String(value).trim())) return t('form.errorEmail');
  return undefined;
}

/**
 * Every problem of the form, keyed by field name, in field order. A form lead needs a
 * way to answer (core's LeadInputSchema): with all phone and e-mail fields left empty,
 * the first of them is marked.
 */
export function formErrors(fields: readonly FormField[], values: FieldValues, t: Translate): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const error = fieldError(field, values[field.name], t);
    if (error) errors[field.name] = error;
  }
  const contactFields = fields.filter((field) => field.type === 'phone' || field.type === 'email');
  if (contactFields.length > 0 && contactFields.every((field) => isEmpty(values[field.name]))) {
    const first = contactFields[0]!.name;
    errors[first] ??= t('form.errorContact');
  }
  // Keep the fields' order, so that focus goes to the first problem on screen.
  return Object.fromEntries(fields.filter((field) => errors[field.name]).map((field) => [field.name, errors[field.name]!]));
}

/** The lead's contact fields from their types; custom fields (and repeats) go into `fields`. */
export function leadContent(fields: readonly FormField[], values: FieldValues) {
  const content: { name?: string; phone?: string; email?: string; message?: string; fields?: Record<string, string | boolean> } = {};
  const custom: Record<string, string | boolean> = {};
  for (const field of fields) {
    const raw = values[field.name];
    if (raw === undefined || raw === '') continue;
    const value = typeof raw === 'string' ? raw.trim() : raw;
    if (value === '') continue;
    const type = field.type;
    if ((type === 'name' || type === 'phone' || type === 'email' || type === 'message') && content[type] === undefined && typeof value === 'string') content[type] = value;
    else custom[field.name] = value;
  }
  if (Object.keys(custom).length > 0) content.fields = custom;
  return content;
}
