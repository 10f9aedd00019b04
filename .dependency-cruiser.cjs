/**
 * The layers (README, "How it is built"), checked by `npm run lint`. Imports point down only:
 *   shared → nothing of src/
 *   infrastructure: config < database < events, jobs, http < outbox
 *   calendar < settings < org < auth
 *   features: cases < reminders < scoring < accountability < bulletins
 *   chat (router, parser, identity, inbox, cards, delivery) → all of the above
 *   chat/platforms/<name> → only chat imports them; never each other
 *   app (app.module, app.setup, main, app.entities, demo, health) → anything
 * No cycles anywhere; the rule core (rules, policies, renderers, the parser, cards) stays free of Nest, TypeORM, entities and services
 * (shared may use Nest's decorators — the clock is injectable — but nothing of src/).
 * Type-only imports count: a type is a dependency too.
 */
const SHARED = '^src/shared/';
const INFRA = '^src/(config|database|events|jobs|http|outbox)/';
const BASE = '^src/(calendar|settings|org|auth)/';
const FEATURES = '^src/(cases|reminders|scoring|accountability|bulletins)/';
const CHAT = '^src/chat/';
const PLATFORMS = '^src/chat/platforms/';
const APP = '^src/(app\\.[a-z]+\\.ts|main\\.ts|demo/|health/)';
const RULE_CORE = '(\\.rules|\\.policy|\\.render|\\.texts|\\.parser)\\.ts$|^src/chat/parser/|^src/chat/cards\\.ts$';

/** Folder a may not import folder b (b is later in the order). */
const order = (name, list) =>
  list.slice(0, -1).map((from, i) => ({
    name: `${name}-${from}`,
    comment: `${from} sits below ${list.slice(i + 1).join(', ')} (${name})`,
    severity: 'error',
    from: { path: `^src/${from}/` },
    to: { path: `^src/(${list.slice(i + 1).join('|')})/` },
  }));

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'No file cycles anywhere.', severity: 'error', from: { path: '^src/' }, to: { circular: true } },
    { name: 'shared-imports-nothing', comment: 'src/shared is the vocabulary: it imports nothing of src/.', severity: 'error', from: { path: SHARED }, to: { path: '^src/', pathNot: SHARED } },
    { name: 'infrastructure-knows-no-domain', comment: 'Infrastructure imports only shared and infrastructure.', severity: 'error', from: { path: INFRA }, to: { path: '^src/', pathNot: `${SHARED}|${INFRA}` } },
    ...order('infrastructure-order', ['config', 'database', 'events|jobs|http', 'outbox']).map((r) => ({ ...r, from: { path: `^src/(${r.name.replace('infrastructure-order-', '')})/` } })),
    { name: 'base-knows-no-feature', comment: 'org, auth, calendar and settings import only shared, infrastructure and each other (downwards).', severity: 'error', from: { path: BASE }, to: { path: `${FEATURES}|${CHAT}|${APP}` } },
    ...order('base-order', ['calendar', 'settings', 'org', 'auth']),
    ...order('feature-order', ['cases', 'reminders', 'scoring', 'accountability', 'bulletins']),
    { name: 'features-know-no-chat', comment: 'Features learn nothing of chat or the app; chat calls them.', severity: 'error', from: { path: FEATURES }, to: { path: `${CHAT}|${APP}` } },
    { name: 'chat-below-app', severity: 'error', from: { path: CHAT }, to: { path: APP } },
    { name: 'platforms-only-from-chat', comment: 'Only chat imports a platform.', severity: 'error', from: { path: '^src/', pathNot: CHAT }, to: { path: PLATFORMS } },
    { name: 'platforms-apart', comment: 'A platform never imports another.', severity: 'error', from: { path: '^src/chat/platforms/([^/]+)/' }, to: { path: PLATFORMS, pathNot: '^src/chat/platforms/$1/' } },
    {
      name: 'rule-core-pure',
      comment: 'The rule core is plain TypeScript over plain data (ARCHITECTURE principle 1).',
      severity: 'error',
      from: { path: RULE_CORE, pathNot: '\\.spec\\.ts$' },
      to: { path: '(^|/)node_modules/(@nestjs|typeorm|mysql2|better-sqlite3)/|\\.entity\\.ts$|\\.service\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^(src|node_modules)/',
    exclude: { path: '\\.spec\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
