/**
 * OpenSearch's ValueSource: a configured value (any JSON) whose strings containing `{{` are
 * templates, map keys included. Each resolution builds a fresh copy, so documents never share
 * objects with the pipeline or with each other.
 */
import { setOwn } from './field-value.js';
import { compileTemplate, type Template, type TemplateModel } from './template.js';

/** A value ready to resolve against a document's template model. */
export interface ValueSource {
  /** True when the value itself is a templated string (what `ignore_empty_value` looks at). */
  readonly isTemplate: boolean;
  resolve(model: TemplateModel): unknown;
}

/** Wraps a configured value, compiling its templates; throws `TemplateSyntaxError` for a bad one. */
export function wrapValue(value: unknown): ValueSource {
  if (typeof value === 'string' && value.includes('{{')) {
    const template: Template = compileTemplate(value);
    return { isTemplate: true, resolve: (model) => template.render(model) };
  }
  if (Array.isArray(value)) {
    const items = value.map(wrapValue);
    return { isTemplate: false, resolve: (model) => items.map((item) => item.resolve(model)) };
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(
      ([key, item]) => [compileTemplate(key), wrapValue(item)] as const,
    );
    return {
      isTemplate: false,
      resolve: (model) => {
        const copy: Record<string, unknown> = {};
        for (const [key, item] of entries) setOwn(copy, key.render(model), item.resolve(model));
        return copy;
      },
    };
  }
  return { isTemplate: false, resolve: () => value };
}
