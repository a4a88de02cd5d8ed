default_app_config = "shop.dashboard.partners.apps.PartnersDashboardConfig"
