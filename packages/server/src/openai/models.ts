import { defineRoute } from '../http/define-route.js';
import type { ModelSource } from './model-source.js';

export function modelsRoute(models: ModelSource, scope: string | undefined) {
  return defineRoute({
    method: 'GET',
    url: '/v1/models',
    ...(scope === undefined ? {} : { scope }),
    handler: () => {
      const seen = new Set<string>();
      const data = models
        .list()
        .filter((m) => !seen.has(m.id) && seen.add(m.id))
        .map((m) => ({ id: m.id, object: 'model', created: 0, owned_by: m.ownedBy }));
      return { object: 'list', data };
    },
  });
}
