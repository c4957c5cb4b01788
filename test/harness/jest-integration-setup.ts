// Integration tests run real workflows: allow them two minutes (testTimeout is global-only in Jest configs).
jest.setTimeout(120_000);
