// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/** The rule core (DOMAIN rules, pure parsers and renderers) must stay free of framework, database and clock. */
const RULE_CORE = [
  'src/**/*.rules.ts',
  'src/calendar/work-calendar.ts',
  'src/scoring/score.table.ts',
  'src/accountability/accountability.types.ts',
  'src/calendar/local-date.ts',
  'src/org/org-import.parser.ts',
  'src/**/*.render.ts',
  'src/**/*.policy.ts',
  'src/chat/command.parser.ts',
  'src/chat/parser/**/*.ts',
  'src/chat/cards.ts',
  'src/chat/platforms/dingtalk/dingtalk.render.ts',
  'src/chat/platforms/dingtalk/dingtalk.signature.ts',
  'src/chat/platforms/dingtalk/dingtalk.events.ts',
  'src/chat/platforms/wecom/wecom.crypto.ts',
  'src/chat/platforms/wecom/wecom.render.ts',
  'src/chat/platforms/wecom/wecom.events.ts',
  'src/reminders/*.rules.ts',
  'src/reminders/policy.validation.ts',
  'src/reminders/reminder.texts.ts',
];

export default tseslint.config(
  { ignores: ['dist/**', 'web/dist/**', 'node_modules/**', 'coverage/**', 'data/**', '*.js', '*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Chinese text legitimately holds the ideographic space (U+3000).
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipRegExps: true, skipComments: true }],
    },
  },
  {
    // The console (web/): the same TypeScript rules, and React's rules of hooks.
    files: ['web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    files: RULE_CORE,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*'], message: 'The rule core is plain TypeScript (ARCHITECTURE principle 1).' },
            { group: ['typeorm', 'mysql2', 'better-sqlite3'], message: 'The rule core does not touch the database.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Time is a parameter in the rule core.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Time is a parameter in the rule core.' },
      ],
    },
  },
);
