/** Two tiers (see README): pure rule specs beside the code, and database/HTTP tests under test/ against real MariaDB. */
const tsJest = ['ts-jest', { diagnostics: false }];
module.exports = {
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/src'],
      testMatch: ['**/*.spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      displayName: 'fakes',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/fakes'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      displayName: 'db',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
      testPathIgnorePatterns: ['/test/fakes/'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
  ],
};
