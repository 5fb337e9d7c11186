/** What to do instead, for each Quadlet kind nixport does not convert. */
export const QUADLET_HINTS: Readonly<Record<string, string>> = {
  pod: 'put the pod\'s containers on one network (a .network file) and convert them as containers; oci-containers has no pods',
  kube: 'convert the Kubernetes YAML\'s containers by hand, or run them with services.k3s',
  image: 'name the image in the container\'s Image= instead; oci-containers pulls it',
  build: 'build the image with Nix (dockerTools) or push it to a registry, and name it in Image=',
  artifact: 'fetch the OCI artifact in a oneshot service by hand',
};
