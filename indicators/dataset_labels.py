"""Labels of a dataset document's parts, fields and row columns (accounting.md §5), as pages, PDFs and the
revision diff print them; re-exported by ``indicators.models``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# The parts of a dataset document besides the energy rows (accounting.md §5), each labelled with its unit:
# the revision diff and the dossier read them here.
DATASET_PART_LABELS = {
    "park": _("Park"),
    "method": _("Accounting method settings"),
    "energy": _("Energy consumption"),
    "electricity_mwh": _("Electricity"),
    "heat_gj": _("Heat"),
    "process": _("Industrial processes"),
    "direct_emissions": _("Emissions computed outside the system"),
    "offsets_tco2": _("Carbon offsets"),
    "resources": _("Resources, transport and buildings"),
    "products": _("Products"),
    "exemptions": _("Exemptions"),
}
DATASET_FIELD_LABELS = {
    "park.name": _("Park name"),
    "park.park_type": _("Park type"),
    "year": _("Year"),
    "method.factor_year": _("Factor year"),
    "method.grid_ef_tco2_per_mwh": _("Custom grid factor (tCO2/MWh)"),
    "heat_gj.purchased_ef_tco2_per_gj": _("Emission factor of the heat received (tCO2/GJ)"),
    "heat_gj.export_ef_tco2_per_gj": _("Emission factor of the heat sent out (tCO2/GJ)"),
    "offsets_tco2.ccer": _("CCER offsets (tCO2)"),
    "resources.solid_waste_t.generated": _("Industrial solid waste generated (t)"),
    "resources.solid_waste_t.utilized": _("Industrial solid waste utilised (t)"),
    "resources.solid_waste_t.utilized_from_storage": _("Utilised from earlier years' storage (t)"),
    "resources.water_m3.fresh_intake": _("Fresh water intake (m³)"),
    "resources.water_m3.reused": _("Water reused (m³)"),
    "resources.waste_energy_tce.heat.recoverable": _("Waste heat recoverable (tce)"),
    "resources.waste_energy_tce.heat.utilized": _("Waste heat utilised (tce)"),
    "resources.waste_energy_tce.cold.recoverable": _("Waste cold recoverable (tce)"),
    "resources.waste_energy_tce.cold.utilized": _("Waste cold utilised (tce)"),
    "resources.waste_energy_tce.pressure.recoverable": _("Waste pressure recoverable (tce)"),
    "resources.waste_energy_tce.pressure.utilized": _("Waste pressure utilised (tce)"),
    "resources.freight_t.clean": _("Freight carried by clean transport (t)"),
    "resources.freight_t.total": _("Freight in total (t)"),
    "resources.public_vehicles.new_energy": _("New-energy public-service vehicles"),
    "resources.public_vehicles.total": _("Public-service vehicles in total"),
    "resources.green_buildings": _("Ultra-low-energy, near-zero-energy and high-star green buildings"),
}
# The columns of a row of energy, process, direct-emission and product tables.
ROW_FIELD_LABELS = {
    "quantity": _("Quantity"),
    "enterprise": _("Enterprise"),
    "month": _("Month"),
    "ncv": _("Measured NCV (GJ per base unit)"),
    "cc": _("Measured CC (tC/GJ)"),
    "of": _("Measured OF (0–1)"),
    "quantity_t": _("Output (t)"),
    "ef_tco2_per_t": _("Emission factor (tCO2/t)"),
    "basis": _("Basis of the factor"),
    "tco2": _("Emissions (tCO2)"),
    "standard": _("Energy limit standard"),
    "value": _("Energy use per unit of product"),
    "grade2_limit": _("Grade 2 limit"),
}
