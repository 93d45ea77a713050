/**
 * Where zoo artifacts come from and how they reach the local cache: {@link
 * io.moezoo.zoo.repository.ZooRepository} (embedded, {@code file:}, {@code http(s):}), {@link
 * io.moezoo.zoo.repository.ArtifactCache} (verified, atomic), {@link
 * io.moezoo.zoo.repository.MoeModelLoader} (DJL {@code ModelLoader}).
 */
package io.moezoo.zoo.repository;
