/** Locations and strict readers of the real data sets (Debian and npm packages) the recipes use. */
package io.moezoo.recipes.data;
