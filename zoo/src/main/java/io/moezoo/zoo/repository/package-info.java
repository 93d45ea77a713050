/**
 * The MoE Zoo's model repository, built on DJL's. DJL provides the repository model: {@code
 * Metadata}, {@code Artifact} and {@code MRL} (the {@code model/<application>/<group>/<id>/}
 * layout), {@code AbstractRepository} (cache directory, resource directories, temporary download
 * then rename) and {@code BaseModelLoader} (artifact matching, argument and option merging, engine
 * choice, model and translator creation); {@link io.moezoo.zoo.repository.ZooRepository} and {@link
 * io.moezoo.zoo.repository.MoeModelLoader} extend them. This package adds only what DJL lacks for a
 * repository whose data is untrusted: {@code metadata.json} is read bounded and checked ({@code
 * MetadataRules}: plain names and relative URIs, sha1 and size for every file, no engine or unknown
 * options); transfers run under size, time and throughput limits with checked redirects and offline
 * mode ({@link io.moezoo.zoo.repository.TransferLimits}); every file's size and sha1 are verified
 * while it streams, before anything uses it; archives are unpacked within {@link
 * io.moezoo.zoo.repository.ExtractionLimits}, refusing zip-slip, absolute names, links, devices and
 * repeated entries; artifacts are installed atomically with a manifest and no leftovers ({@code
 * ArtifactInstall}); repository data never chooses code: block and translator factories are the
 * ones registered for each model ({@link io.moezoo.zoo.repository.ArtifactCode}), and no artifact
 * may hold jars, classes, native libraries or {@code serving.properties} ({@link
 * io.moezoo.zoo.repository.ArtifactContents}). Every refusal is an {@link
 * io.moezoo.zoo.repository.ArtifactFetchException} naming the URL or file and what is wrong.
 */
package io.moezoo.zoo.repository;
