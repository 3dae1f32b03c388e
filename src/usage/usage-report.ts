/**
 * `GET /_sidecar/usage`: requests and tokens per model and UTC day over a date range, summed over
 * every writer (replicas, restarts), with an estimated cost for models that carry a
 * `price_per_1k_tokens`. The cost uses the model's price now, for every day of the range. With
 * model access control on, a caller who is not an admin sees the models of the groups they may use
 * (a deleted model's usage only an admin sees).
 */
import { illegalArgument } from '../errors/opensearch-error.js';
import type { ModelAccess } from '../models/model-access.js';
import { MODEL_INDEX, type ModelRecord, type PricePerThousandTokens } from '../models/model-record.js';
import type { CallerIdentity } from '../security/identity/index.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../util/clock.js';
import type { UsageMeter } from './usage-meter.js';
import { USAGE_COLLECTION, utcDay, type UsageRecord } from './usage-record.js';

/** The query: inclusive UTC days `YYYY-MM-DD` and, optionally, some models. */
export interface UsageQuery {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly modelIds?: readonly string[] | undefined;
}

interface Totals {
  requests: number;
  input_tokens: number;
  output_tokens: number;
  estimated_cost?: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DEFAULT_CURRENCY = 'USD';

/** Reads usage for the API. */
export class UsageReport {
  constructor(private readonly deps: { readonly store: Store; readonly meter: UsageMeter; readonly access: ModelAccess; readonly clock: Clock }) {}

  async read(query: UsageQuery, caller: CallerIdentity | undefined): Promise<Record<string, unknown>> {
    const to = parseDay(query.to, 'to') ?? utcDay(this.deps.clock.now());
    const from = parseDay(query.from, 'from') ?? `${to.slice(0, 8)}01`;
    if (from > to) throw illegalArgument(`[from] ${from} is after [to] ${to}`);
    // This replica's counts since the last flush are written first, so the answer includes them.
    await this.deps.meter.flush();
    const [records, models, visible] = await Promise.all([
      this.deps.store.list<UsageRecord>(USAGE_COLLECTION),
      this.deps.store.list<ModelRecord>(MODEL_INDEX),
      this.deps.access.modelSearchFilter(caller),
    ]);
    const modelsById = new Map(models.map((model) => [model.id, model]));
    const wanted = query.modelIds === undefined || query.modelIds.length === 0 ? undefined : new Set(query.modelIds);
    const perModel = new Map<string, { total: Totals; days: Map<string, Totals> }>();
    for (const { source } of records) {
      if (source.date < from || source.date > to || (wanted !== undefined && !wanted.has(source.model_id))) continue;
      const model = modelsById.get(source.model_id);
      if (visible !== undefined && (model === undefined || !visible(model))) continue;
      let entry = perModel.get(source.model_id);
      if (entry === undefined) perModel.set(source.model_id, (entry = { total: zero(), days: new Map() }));
      let day = entry.days.get(source.date);
      if (day === undefined) entry.days.set(source.date, (day = zero()));
      add(day, source);
      add(entry.total, source);
    }
    const total: Totals = zero();
    const costs: Record<string, number> = {};
    const answer: Record<string, unknown> = {};
    for (const [modelId, entry] of [...perModel].sort(([left], [right]) => left.localeCompare(right))) {
      const model = modelsById.get(modelId);
      const price = model?.source.price_per_1k_tokens;
      const currency = price?.currency ?? DEFAULT_CURRENCY;
      add(total, entry.total);
      const days = [...entry.days].sort(([left], [right]) => left.localeCompare(right));
      if (price !== undefined) {
        costs[currency] = round((costs[currency] ?? 0) + cost(entry.total, price));
        for (const [, day] of days) day.estimated_cost = cost(day, price);
      }
      answer[modelId] = {
        ...(model === undefined ? {} : { model_name: model.source.name }),
        ...entry.total,
        ...(price === undefined ? {} : { estimated_cost: cost(entry.total, price), currency, price_per_1k_tokens: price }),
        days: Object.fromEntries(days),
      };
    }
    return { from, to, models: answer, total: { ...total, estimated_cost: costs } };
  }
}

function parseDay(value: string | undefined, name: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || utcDay(Date.parse(`${value}T00:00:00Z`)) !== value) {
    throw illegalArgument(`[${name}] must be a date as yyyy-MM-dd (UTC), got [${value}]`);
  }
  return value;
}

const zero = (): Totals => ({ requests: 0, input_tokens: 0, output_tokens: 0 });

function add(into: Totals, from: Pick<Totals, 'requests' | 'input_tokens' | 'output_tokens'>): void {
  into.requests += from.requests;
  into.input_tokens += from.input_tokens;
  into.output_tokens += from.output_tokens;
}

function cost(totals: Totals, price: PricePerThousandTokens): number {
  return round((totals.input_tokens / 1000) * (price.input ?? 0) + (totals.output_tokens / 1000) * (price.output ?? 0));
}

/** Twelve decimals: exact enough for fractions of a cent per token, free of binary noise (0.1 + 0.2). */
const round = (value: number): number => Number(value.toFixed(12));

