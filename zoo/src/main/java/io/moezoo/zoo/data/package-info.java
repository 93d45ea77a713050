/** Locations of the real data sets (Debian and npm packages) the zoo trains and evaluates on. */
package io.moezoo.zoo.data;
