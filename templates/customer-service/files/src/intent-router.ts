import { readFile } from 'node:fs/promises';
import { CentroidClassifier, parseCsvRecords } from '@ferry/core';
import { z } from 'zod';

export const ROUTES = ['billing', 'account', 'technical', 'general'] as const;
export type Route = (typeof ROUTES)[number];

const routesFileSchema = z.record(z.enum(ROUTES), z.array(z.string().min(1)));

/**
 * Below this confidence a message goes to the general route (the knowledge
 * base, which hands off when it has no answer) instead of a billing or account
 * handler. On BANKING77's test split 2.2% of in-domain queries fall under
 * it, as do greetings and off-topic requests ("tell me a joke": 0.07).
 */
export const DEFAULT_MIN_CONFIDENCE = 0.25;

export interface RoutedIntent {
  /** Fine-grained intent, e.g. `card_payment_fee_charged`; `unclear` under the confidence floor. */
  intent: string;
  route: Route;
  confidence: number;
}

/**
 * Classifies a message into one of the trained intents (a nearest-centroid
 * classifier over the examples in data/intents.csv), then maps the intent to
 * the handler that serves it. Trained at start-up: no weights to download.
 */
export class IntentRouter {
  private constructor(
    private readonly classifier: CentroidClassifier,
    private readonly routeOf: Map<string, Route>,
    private readonly minConfidence: number,
  ) {}

  static async load(examplesCsv: URL, routesJson: URL, options: { minConfidence?: number } = {}): Promise<IntentRouter> {
    const routes = routesFileSchema.parse(JSON.parse(await readFile(routesJson, 'utf8')));
    const routeOf = new Map<string, Route>();
    for (const [route, intents] of Object.entries(routes) as Array<[Route, string[]]>) for (const intent of intents) routeOf.set(intent, route);
    const rows = parseCsvRecords(await readFile(examplesCsv, 'utf8'));
    const examples = rows.map((row, i) => {
      const text = row['text'];
      const label = row['category'];
      if (!text || !label) throw new Error(`${examplesCsv.pathname} row ${i + 2}: needs "text" and "category"`);
      if (!routeOf.has(label)) throw new Error(`${examplesCsv.pathname} row ${i + 2}: intent "${label}" has no route in ${routesJson.pathname}`);
      return { text, label };
    });
    return new IntentRouter(new CentroidClassifier({ examples }), routeOf, options.minConfidence ?? DEFAULT_MIN_CONFIDENCE);
  }

  async route(message: string): Promise<RoutedIntent> {
    const [result] = await this.classifier.classify([message]);
    if (!result) throw new Error('the classifier returned nothing');
    if (result.score < this.minConfidence) return { intent: 'unclear', route: 'general', confidence: result.score };
    return { intent: result.label, route: this.routeOf.get(result.label) ?? 'general', confidence: result.score };
  }
}
