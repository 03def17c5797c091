throw new Error('A test imported "electron" without mocking it. Use vi.mock("electron", ...) with test/support/fake-electron.ts.');
