# Writes every regularly sampled time series (class ts/mts) bundled with R's `datasets` package and
# the Debian-packaged R packages forecast, AER, tseries, MASS and boot as tab-separated lines:
#   package/name[/column] <TAB> frequency <TAB> v1,v2,... (17 significant digits)
# Used by tools/ts-mixture.sh to train the router of the time-series forecast mixture.
# Series that are statsmodels' bundled data sets (or the same measurements), which are a held-out
# check, are left out: Nile (nile), sunspot.* (sunspots), co2 (co2), longley / Longley (longley),
# nino* (elnino), the US macro series of AER and tseries (macrodata). Leading and trailing NAs are
# trimmed; series with inner NAs, fewer than 40 values or constant values are skipped, and so is a
# series whose values repeat an earlier one's (e.g. tseries flow.jok and ice.river's column); only
# the last 2000 values of a longer series are kept.
# Usage: Rscript tools/r-series.R > target/r-series.tsv
excluded <- c("Nile", "sunspot.year", "sunspot.month", "sunspots", "co2", "longley", "Longley",
              "nino", "nino3", "nino3.4", "USMacroG", "USMacroB", "USMacroSW", "USMacroSWM",
              "USMacroSWQ", "USeconomic", "GNP", "M1")
seen <- new.env()
emit <- function(name, x) {
  x <- as.numeric(x)
  ok <- which(!is.na(x))
  if (length(ok) == 0) return(invisible())
  x <- x[min(ok):max(ok)]
  if (anyNA(x) || length(x) < 40 || length(unique(x)) < 2) return(invisible())
  if (length(x) > 2000) x <- x[(length(x) - 1999):length(x)]
  key <- sprintf("%d %.17g %.17g", length(x), sum(x), sum(x * seq_along(x)))
  if (exists(key, envir = seen, inherits = FALSE)) return(invisible())
  assign(key, TRUE, envir = seen)
  cat(name, "\t", sep = "")
  cat(formatC(x, digits = 17, format = "g"), sep = ",")
  cat("\n")
}
for (p in c("datasets", "forecast", "AER", "tseries", "MASS", "boot")) {
  if (!requireNamespace(p, quietly = TRUE) && p != "datasets") next
  items <- sort(data(package = p)$results[, "Item"])
  for (it in items) {
    nm <- sub(" .*", "", it)
    grp <- if (grepl("\\(", it)) sub(".*\\((.*)\\)", "\\1", it) else nm
    if (nm %in% excluded || grp %in% excluded) next
    e <- new.env()
    o <- tryCatch({
      suppressWarnings(data(list = grp, package = p, envir = e))
      get(nm, envir = e)
    }, error = function(err) NULL)
    if (!is.ts(o)) next
    f <- frequency(o)
    if (NCOL(o) == 1) {
      emit(paste0(p, "/", nm, "\t", f), o)
    } else {
      cols <- colnames(o)
      if (is.null(cols)) cols <- paste0("V", seq_len(NCOL(o)))
      for (j in seq_len(NCOL(o))) emit(paste0(p, "/", nm, "/", cols[j], "\t", f), o[, j])
    }
  }
}
