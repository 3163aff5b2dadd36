/**
 * A file of the provider's package that is missing or not the one built with the executable
 * (package-files.json names them). The launcher throws it when the bundle first requires the HTTP client; the
 * provider reports it as an installation to repeat, not as a bug, and at every call, not only the first. The
 * launcher and the bundle are compiled apart, so the provider tells it by its code, not by its class.
 */
export const PACKAGE_INCOMPLETE = "PRECLINICAL_PROVIDER_PACKAGE_INCOMPLETE";

export class PackageIncompleteError extends Error {
  public readonly code = PACKAGE_INCOMPLETE;
}

export function isPackageIncomplete(err: unknown): err is Error {
  return err instanceof Error && (err as { code?: unknown }).code === PACKAGE_INCOMPLETE;
}
