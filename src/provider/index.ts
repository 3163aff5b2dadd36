/**
 * The Terraform provider `preclinical/preclinical`, for plain-HCL users and for the construct: lay it out
 * where `terraform init` finds it. The provider itself is the bundled executable, not this module.
 */
export {
  PROVIDER_HOSTS,
  PROVIDER_NAMESPACE,
  PROVIDER_PLATFORMS,
  PROVIDER_TYPE,
  PROVIDER_VERSION,
  installProvider,
  providerExecutablePath,
  type InstallOptions,
} from "./install";
