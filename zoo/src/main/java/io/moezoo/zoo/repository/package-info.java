/**
 * Where zoo artifacts come from and how they reach the local cache: {@link
 * io.moezoo.zoo.repository.ZooRepository} (embedded, {@code file:}, {@code http(s):}), {@link
 * io.moezoo.zoo.repository.ArtifactCache} (verified, atomic), {@link
 * io.moezoo.zoo.repository.MoeModelLoader} (DJL {@code ModelLoader}).
 *
 * <p>Repository data is untrusted. It never chooses code ({@link
 * io.moezoo.zoo.repository.ArtifactCode}, {@link io.moezoo.zoo.repository.ArtifactContents}); names
 * and URIs are plain and relative ({@code ArtifactNames}); transfers and archives are bounded
 * ({@link io.moezoo.zoo.repository.TransferLimits}, {@link
 * io.moezoo.zoo.repository.ExtractionLimits}).
 */
package io.moezoo.zoo.repository;
