package io.moezoo.recipes.timeseries;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The documented series of the {@code time-moe-vega} artifact (npm {@code vega-datasets}).
 *
 * <p><b>Training series</b> (32): the model trains on each series except its last H values (the
 * held-out tail), which are forecast for the in-domain evaluation:
 *
 * <ul>
 *   <li>{@code co2-concentration.csv} CO2 (monthly 1958–2020, H = 12);
 *   <li>{@code unemployment-across-industries.json} {@code count} of 10 industries (monthly
 *       2000–2010, H = 12);
 *   <li>{@code us-employment.csv}: 11 columns (monthly 2006–2015, H = 12);
 *   <li>{@code stocks.csv} MSFT, AMZN, IBM, GOOG monthly prices (H = 12);
 *   <li>{@code seattle-weather.csv} temp_max, temp_min, wind (daily 2012–2015, H = 14;
 *       precipitation is left out: mostly zeros);
 *   <li>{@code seattle-weather-hourly-normals.csv} temperature, pressure, wind (hourly, H = 48).
 * </ul>
 *
 * <p><b>Zero-shot series</b> (21), never seen in training:
 *
 * <ul>
 *   <li>unseen files: {@code sp500.csv} price (monthly, H = 12), {@code global-temp.csv} temp
 *       (yearly 1880–2023, H = 10), {@code weather.csv} New York temp_max, temp_min, wind (daily, H
 *       = 14; its Seattle rows duplicate {@code seattle-weather.csv} and are not used);
 *   <li>unseen entities: {@code stocks.csv} AAPL; 4 further industries of {@code
 *       unemployment-across-industries.json}; 11 further columns of {@code us-employment.csv}.
 *       These share calendar and economy with training series (several employment columns are sums
 *       or parts of training columns), so they are a weaker test than the unseen files.
 * </ul>
 *
 * <p>Seasons are decided from each history, not here: the candidate is the natural period of the
 * frequency (12 monthly, 7 daily, 24 hourly, 1 yearly) and {@link ForecastEvaluation} keeps it only
 * when the series' first differences pass the autocorrelation test of {@link
 * io.moezoo.recipes.timeseries.baseline.Seasonality}.
 */
public final class VegaCatalog {

    private static final String[] TRAIN_INDUSTRIES = {
        "Government",
        "Mining and Extraction",
        "Construction",
        "Manufacturing",
        "Wholesale and Retail Trade",
        "Transportation and Utilities",
        "Information",
        "Finance",
        "Business services",
        "Education and Health"
    };
    private static final String[] ZERO_SHOT_INDUSTRIES = {
        "Leisure and hospitality", "Other", "Agriculture", "Self-employed"
    };
    private static final String[] TRAIN_EMPLOYMENT = {
        "nonfarm",
        "goods_producing",
        "construction",
        "manufacturing",
        "durable_goods",
        "retail_trade",
        "information",
        "financial_activities",
        "education_and_health_services",
        "leisure_and_hospitality",
        "government"
    };
    private static final String[] ZERO_SHOT_EMPLOYMENT = {
        "private",
        "service_providing",
        "private_service_providing",
        "mining_and_logging",
        "nondurable_goods",
        "trade_transportation_utilties",
        "wholesale_trade",
        "transportation_and_warehousing",
        "utilities",
        "professional_and_business_services",
        "other_services"
    };

    private VegaCatalog() {}

    /**
     * The training series.
     *
     * @return the series, in a fixed order
     */
    public static List<VegaSeries> training() {
        List<VegaSeries> list = new ArrayList<>();
        list.add(monthly("co2", "co2-concentration.csv", "CO2", null, null));
        industries(list, TRAIN_INDUSTRIES);
        employment(list, TRAIN_EMPLOYMENT);
        for (String symbol : new String[] {"MSFT", "AMZN", "IBM", "GOOG"}) {
            list.add(monthly("stocks/" + symbol, "stocks.csv", "price", "symbol", symbol));
        }
        for (String field : new String[] {"temp_max", "temp_min", "wind"}) {
            list.add(
                    new VegaSeries(
                            "seattle-weather/" + field,
                            "seattle-weather.csv",
                            field,
                            null,
                            null,
                            "D",
                            14));
        }
        for (String field : new String[] {"temperature", "pressure", "wind"}) {
            list.add(
                    new VegaSeries(
                            "seattle-hourly/" + field,
                            "seattle-weather-hourly-normals.csv",
                            field,
                            null,
                            null,
                            "H",
                            48));
        }
        return Collections.unmodifiableList(list);
    }

    /**
     * The zero-shot series, never used in training.
     *
     * @return the series, in a fixed order
     */
    public static List<VegaSeries> zeroShot() {
        List<VegaSeries> list = new ArrayList<>();
        list.add(monthly("sp500", "sp500.csv", "price", null, null));
        list.add(new VegaSeries("global-temp", "global-temp.csv", "temp", null, null, "Y", 10));
        for (String field : new String[] {"temp_max", "temp_min", "wind"}) {
            list.add(
                    new VegaSeries(
                            "weather-new-york/" + field,
                            "weather.csv",
                            field,
                            "location",
                            "New York",
                            "D",
                            14));
        }
        list.add(monthly("stocks/AAPL", "stocks.csv", "price", "symbol", "AAPL"));
        industries(list, ZERO_SHOT_INDUSTRIES);
        employment(list, ZERO_SHOT_EMPLOYMENT);
        return Collections.unmodifiableList(list);
    }

    private static void industries(List<VegaSeries> list, String[] names) {
        for (String industry : names) {
            list.add(
                    monthly(
                            "unemployment/" + industry,
                            "unemployment-across-industries.json",
                            "count",
                            "series",
                            industry));
        }
    }

    private static void employment(List<VegaSeries> list, String[] columns) {
        for (String column : columns) {
            list.add(monthly("us-employment/" + column, "us-employment.csv", column, null, null));
        }
    }

    private static VegaSeries monthly(
            String name, String file, String field, String key, String value) {
        return new VegaSeries(name, file, field, key, value, "M", 12);
    }
}
