/** The error `build` throws, or fails the test. */
export function thrown(build: () => unknown): Error {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error("expected an error, but none was thrown");
}
