import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';
import type { GenerateInput, GenerateOptions, GenerationResult, ModelMetadata, TextGenerator } from './model-types.js';

/** A TextGenerator behind a circuit breaker; `breaker` exposes its state (for /ready, logs, tests). */
export interface BreakerTextGenerator extends TextGenerator {
  readonly breaker: CircuitBreaker;
}

/**
 * Wraps a generator so that, once its endpoint has failed `failures` times
 * in a row, calls fail at once (no request, no timeout to wait out) until a
 * trial call after `cooldownMs` succeeds. A stream counts as a success when
 * it ends and as a failure when it throws.
 */
export function withCircuitBreaker(generator: TextGenerator, options: CircuitBreakerOptions = {}, now?: () => number): BreakerTextGenerator {
  const breaker = new CircuitBreaker(generator.metadata.ref, options, now);
  return {
    breaker,
    get metadata(): ModelMetadata {
      return generator.metadata;
    },
    generate(input: GenerateInput, opts: GenerateOptions = {}): Promise<GenerationResult> {
      return breaker.call(() => generator.generate(input, opts), opts.signal);
    },
    async *stream(input: GenerateInput, opts: GenerateOptions = {}): AsyncIterable<string> {
      const trial = breaker.acquire();
      try {
        yield* generator.stream(input, opts);
        trial.succeed();
      } catch (error) {
        trial.fail(error, opts.signal);
        throw error;
      } finally {
        // The consumer stopped early (break/return): neither a success nor the endpoint's fault.
        trial.release();
      }
    },
    dispose: () => generator.dispose?.(),
  };
}
