// Tests on the cluster get five minutes (two on the dev server): the cluster is four Temporal processes
// and PostgreSQL sharing the machine with the tests, and CLI-heavy tests wait on many process starts.
jest.setTimeout(300_000);
