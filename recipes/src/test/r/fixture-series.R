# What the fixture generators share: the packages, the series, the horizon, the seasonality test and
# the writer (write_fixture). The series are classic series of R's own datasets package (none is
# training data of the zoo's forecaster; co2 is left out because vega-datasets' co2-concentration
# overlaps it); the seasonality test is forecast::thetaf's at the natural period m = frequency
# (|r_m| > qnorm(0.95) * sqrt((1 + 2 sum r_k^2)/n), n > 2m).
suppressMessages(library(forecast))
suppressMessages(library(jsonlite))
# ets runs with maxit = 10000 instead of 2000 so that its Nelder-Mead stops by its tolerance.
MAXIT <- 10000

fixture_series <- list(
  AirPassengers = AirPassengers,
  nottem = nottem,
  USAccDeaths = USAccDeaths,
  UKgas = UKgas,
  austres = austres,
  Nile = Nile,
  lynx = lynx,
  WWWusage = WWWusage
)

seasonal_test <- function(x) {
  n <- length(x)
  m <- frequency(x)
  if (m > 1 && !is.constant(x) && n > 2 * m) {
    r <- as.numeric(acf(x, lag.max = m, plot = FALSE)$acf)[-1]
    stat <- sqrt((1 + 2 * sum(r[-m]^2)) / n)
    list(seasonal = abs(r[m]) / stat > qnorm(0.95), statistic = abs(r[m]) / stat)
  } else {
    list(seasonal = FALSE, statistic = 0)
  }
}

# The forecast horizon of every fixture: two seasons, or 10 steps for a non-seasonal frequency.
fixture_horizon <- function(x) if (frequency(x) > 1) 2 * frequency(x) else 10

# Writes a fixture to standard output: for every series x, f(x, m, h) with m = frequency(x) and
# h = fixture_horizon(x), under a meta block naming the generator and the R and forecast versions.
write_fixture <- function(generator, f) {
  out <- list()
  for (name in names(fixture_series)) {
    x <- fixture_series[[name]]
    out[[name]] <- f(x, frequency(x), fixture_horizon(x))
  }
  meta <- list(
    generator = generator,
    r = R.version.string,
    forecast = as.character(packageVersion("forecast"))
  )
  cat(toJSON(list(meta = meta, series = out), auto_unbox = TRUE, digits = NA, pretty = TRUE), "\n")
}
