import { EnvironmentProviders, inject, Injectable, makeEnvironmentProviders } from '@angular/core';
import { AbstractControl } from '@angular/forms';
import { FormlyConfig, FormlyFieldConfig, FormlyFormBuilder, provideFormlyCore } from '@ngx-formly/core';
import { FormlyJsonschema } from '@ngx-formly/core/json-schema';
import { withFormlyMaterial } from '@ngx-formly/material';
import { withFormlyFieldToggle } from '@ngx-formly/material/toggle';

import { SbSchemaArrayType } from './array.type';
import { SbSchemaInheritWrapper } from './inherit.wrapper';
import { SbSchemaObjectType } from './object.type';
import { SbSchemaRangeType } from './range.type';
import { isSecretSet, SbSchemaSecretType } from './secret.type';

type Schema = Record<string, unknown>;

/** Builds the fields of a form from a domain's JSON Schema (provided with formly's configuration, by provideSchemaForms). */
@Injectable()
export class SbSchemaForms {
  private readonly jsonSchema = inject(FormlyJsonschema);
  private readonly config = inject(FormlyConfig);

  constructor() {
    // formly registers the types of provideFormlyCore when a form builder is made (usually by the
    // first <formly-form>); the check below needs them before any form is on the page.
    inject(FormlyFormBuilder);
  }

  /** Throws when the schema cannot make a form (the preview shows the message), before anything renders. */
  fields(schema: Schema): FormlyFieldConfig[] {
    const root = this.jsonSchema.toFieldConfig(schema, { map: (field, source) => adapt(field, source as Schema) });
    this.assertRenderable(root);
    return [root];
  }

  /**
   * Puts each top-level field of `fields` in the inheritance wrapper (its note shows when the
   * form's state carries an inheritance): outermost, around the wrappers its type has.
   */
  withInheritance(fields: FormlyFieldConfig[]): FormlyFieldConfig[] {
    for (const field of fields[0]?.fieldGroup ?? []) {
      const own = field.wrappers ?? (typeof field.type === 'string' ? this.config.getType(field.type)?.wrappers : undefined) ?? [];
      field.wrappers = ['sb-inherit', ...own];
    }
    return fields;
  }

  /** formly fails only when it renders a field whose type nobody registered ("type": "strin"). */
  private assertRenderable(field: FormlyFieldConfig): void {
    if (typeof field.type === 'string' && !this.config.getType(field.type)) throw new Error(`"${field.type}" is not a type a form can show`);
    for (const child of field.fieldGroup ?? []) this.assertRenderable(child);
    if (field.fieldArray && typeof field.fieldArray === 'object') this.assertRenderable(field.fieldArray);
  }
}

/**
 * FORMS FROM JSON SCHEMA (ngx-formly).
 *
 * A registered domain's schema becomes a form: numbers with both bounds a slider and a field,
 * enums a select, booleans a toggle, arrays an editable table, nested objects sections, secret
 * (`writeOnly`) strings a password field with Replace/Clear. Defaults are not put in the form
 * (the profile stores only what it sets); each shows as the field's placeholder or hint.
 */
export function provideSchemaForms(): EnvironmentProviders {
  return makeEnvironmentProviders([
    SbSchemaForms,
    FormlyFormBuilder,
    provideFormlyCore([
      ...withFormlyMaterial(),
      withFormlyFieldToggle(),
      {
        wrappers: [{ name: 'sb-inherit', component: SbSchemaInheritWrapper }],
        types: [
          { name: 'object', component: SbSchemaObjectType },
          { name: 'array', component: SbSchemaArrayType },
          { name: 'sb-secret', component: SbSchemaSecretType },
          { name: 'sb-range', component: SbSchemaRangeType },
          { name: 'boolean', extends: 'toggle' },
        ],
        validationMessages: [
          { name: 'server', message: (error: unknown) => String(error) },
          { name: 'required', message: 'is required' },
          { name: 'type', message: ({ schemaType }: { schemaType: string[] }) => `must be ${schemaType[0] === 'integer' ? 'a whole number' : `a ${schemaType[0]}`}` },
          { name: 'minLength', message: (_e: unknown, field: FormlyFieldConfig) => `must be at least ${field.props?.minLength} characters` },
          { name: 'maxLength', message: (_e: unknown, field: FormlyFieldConfig) => `must be at most ${field.props?.maxLength} characters` },
          { name: 'min', message: (_e: unknown, field: FormlyFieldConfig) => `must be at least ${field.props?.min}` },
          { name: 'max', message: (_e: unknown, field: FormlyFieldConfig) => `must be at most ${field.props?.max}` },
          { name: 'pattern', message: (_e: unknown, field: FormlyFieldConfig) => `must match ${field.props?.pattern}` },
          { name: 'minItems', message: (_e: unknown, field: FormlyFieldConfig) => `needs at least ${field.props?.['minItems']} items` },
          { name: 'maxItems', message: (_e: unknown, field: FormlyFieldConfig) => `takes at most ${field.props?.['maxItems']} items` },
          { name: 'uniqueItems', message: 'must not repeat an item' },
          { name: 'exclusiveMinimum', message: (_e: unknown, field: FormlyFieldConfig) => `must be more than ${field.props?.['exclusiveMinimum']}` },
          { name: 'exclusiveMaximum', message: (_e: unknown, field: FormlyFieldConfig) => `must be less than ${field.props?.['exclusiveMaximum']}` },
          { name: 'multipleOf', message: (_e: unknown, field: FormlyFieldConfig) => `must be a multiple of ${field.props?.step}` },
          { name: 'enum', message: 'must be one of the listed values' },
          { name: 'const', message: (_e: unknown, field: FormlyFieldConfig) => `must be ${JSON.stringify(field.props?.['const'])}` },
        ],
      },
    ]),
  ]);
}

function adapt(field: FormlyFieldConfig, schema: Schema): FormlyFieldConfig {
  const props = (field.props ??= {});
  // A form shows the stored values: formly would write defaults (and '' / {} / [] for required fields) into them.
  delete field.defaultValue;
  if (schema['writeOnly'] === true) {
    // The stored secret comes back as {"set": true}: a valid value of this field, whatever its rules.
    field.type = 'sb-secret';
    delete props.pattern;
    field.validators = { ...field.validators, type: { expression: (control: AbstractControl) => control.value == null || typeof control.value === 'string' || isSecretSet(control.value) } };
    return field;
  }
  const fallback = schema['default'];
  if (fallback !== undefined && (typeof fallback !== 'object' || fallback === null)) {
    if (field.type === 'boolean') props.description = [props.description, `Default: ${fallback ? 'on' : 'off'}.`].filter(Boolean).join(' ');
    else props.placeholder = `Default: ${String(fallback)}`;
  }
  const items = schema['items'] as Schema | undefined;
  if (field.type === 'array' && typeof items?.['title'] === 'string') props['itemLabel'] = items['title'];
  const numeric = field.type === 'number' || field.type === 'integer';
  if (numeric && typeof schema['minimum'] === 'number' && typeof schema['maximum'] === 'number') {
    field.type = 'sb-range';
    if (schema['type'] === 'integer' && props.step === undefined) props.step = 1;
  }
  return field;
}
