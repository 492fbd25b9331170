import type { Trigger, TriggerAction, TriggerCondition } from '../schemas/site-config';
import { allItems, bool, copyOptional, isObject, numberIn, oneOf, textOf, type Reader } from './read';

type Shape = Record<string, unknown>;

const seconds = (min: number): Reader<number> => numberIn(min, 86_400);
const patterns: Reader<string[]> = (value) => allItems(value, textOf(512), 50);
const count = numberIn(1, Number.MAX_SAFE_INTEGER, true);

// One reader per condition type; a type this SDK does not know has none.
const CONDITIONS: Record<string, (source: Shape) => Shape | undefined> = {
  timeOnPage: (source) => ifValid({ seconds: seconds(0)(source.seconds) }),
  scrollDepth: (source) => ifValid({ percent: numberIn(0, 100)(source.percent) }),
  exitIntent: () => ({}),
  url: (source) =>
    ifValid({
      match: source.match === undefined ? 'glob' : oneOf('glob', 'regex')(source.match),
      include: source.include === undefined ? [] : patterns(source.include),
      exclude: source.exclude === undefined ? [] : patterns(source.exclude),
    }),
  visitCount: (source) => {
    const parsed: Shape = {};
    return copyOptional(parsed, source, 'min', count) && copyOptional(parsed, source, 'max', count) ? parsed : undefined;
  },
  idle: (source) => ifValid({ seconds: seconds(1)(source.seconds) }),
  businessHours: (source) => ifValid({ open: bool(source.open) }),
};

/** The fields when every one of them is valid. */
const ifValid = (fields: Shape): Shape | undefined => (Object.values(fields).every((value) => value !== undefined) ? fields : undefined);

const condition: Reader<TriggerCondition> = (value) => {
  if (!isObject(value) || typeof value.type !== 'string' || !Object.hasOwn(CONDITIONS, value.type)) return undefined;
  const fields = CONDITIONS[value.type]!(value);
  return fields && ({ type: value.type, ...fields } as TriggerCondition);
};

const action: Reader<TriggerAction> = (value) => {
  if (!isObject(value)) return undefined;
  if (value.type === 'open') {
    const widget = oneOf('chat', 'callback', 'form')(value.widget);
    return widget && { type: 'open', widget };
  }
  const text = value.type === 'message' ? textOf(500, 1)(value.text) : undefined;
  return text === undefined ? undefined : { type: 'message', text };
};

const frequency: Reader<Trigger['frequency']> = (value) => {
  if (value === undefined) return { perSession: 1 };
  if (!isObject(value)) return undefined;
  const parsed: Shape = {};
  return copyOptional(parsed, value, 'perSession', count) && copyOptional(parsed, value, 'everyDays', numberIn(0, Infinity)) ? (parsed as Trigger['frequency']) : undefined;
};

/**
 * A trigger as TriggerSchema parses it, or undefined when any part of it is invalid
 * or unknown to this SDK (a condition type added by a newer server): a trigger with
 * a condition it cannot evaluate must not fire more often than the marketer meant.
 */
export const parseTrigger: Reader<Trigger> = (value) => {
  if (!isObject(value)) return undefined;
  const id = textOf(64, 1)(value.id);
  const conditions = allItems(value.conditions, condition, 10, 1);
  const parsedAction = action(value.action);
  const parsedFrequency = frequency(value.frequency);
  return id === undefined || !conditions || !parsedAction || !parsedFrequency ? undefined : { id, conditions, action: parsedAction, frequency: parsedFrequency };
};
